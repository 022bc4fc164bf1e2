// SPDX-License-Identifier: MIT
// libxml.h — the contract between the JUnit report and the two ways
// libxml2 can reach it (and the HTML report, which is written with the
// same writer), selected by CMake (CORDON_LIBXML2): libxml_dlopen.c
// loads the shared library by its SONAME when a JUnit report is written,
// so the test binary, and every worker and test process forked from it,
// never maps libxml2 and what it pulls in (ICU, libstdc++, lzma, zlib);
// libxml_link.c, for fully static links and systems without dlopen(),
// points the same table at the functions linked in. The reports call
// libxml2 only through this table, so both ways run the same code; so
// does run/timings.c, which reads an earlier JUnit report's times with
// the streaming reader (in a process of its own, so the runner still
// never maps libxml2 before its tests have run).
// Included by libxml_*.c, report_junit.c, the HTML report's files and
// run/timings.c only: report.h stays free of libxml2's headers.
#ifndef CORDON_LIBXML_H
#define CORDON_LIBXML_H

#include <libxml/xmlIO.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>

#include <stddef.h>

/* Every libxml2 function the JUnit and HTML reports and the reader of an
 * earlier JUnit report call; member X of the table is libxml2's function
 * xmlX. */
#define CORDON__LIBXML_FUNCTIONS(X)                                           \
    X(OutputBufferCreateIO)                                                   \
    X(OutputBufferClose)                                                      \
    X(NewTextWriter)                                                          \
    X(FreeTextWriter)                                                         \
    X(TextWriterSetIndent)                                                    \
    X(TextWriterSetIndentString)                                              \
    X(TextWriterStartDocument)                                                \
    X(TextWriterEndDocument)                                                  \
    X(TextWriterStartElement)                                                 \
    X(TextWriterEndElement)                                                   \
    X(TextWriterFullEndElement)                                               \
    X(TextWriterStartDTD)                                                     \
    X(TextWriterEndDTD)                                                       \
    X(TextWriterWriteRaw)                                                     \
    X(TextWriterWriteAttribute)                                               \
    X(TextWriterWriteString)                                                  \
    X(TextWriterFlush)                                                        \
    X(ReaderForMemory)                                                        \
    X(TextReaderRead)                                                         \
    X(TextReaderNodeType)                                                     \
    X(TextReaderConstLocalName)                                               \
    X(TextReaderMoveToAttribute)                                              \
    X(TextReaderConstValue)                                                   \
    X(TextReaderMoveToElement)                                                \
    X(FreeTextReader)

struct cordon__libxml {
    xmlOutputBufferPtr (XMLCALL *OutputBufferCreateIO)(
        xmlOutputWriteCallback iowrite, xmlOutputCloseCallback ioclose,
        void *ioctx, xmlCharEncodingHandlerPtr encoder);
    int (XMLCALL *OutputBufferClose)(xmlOutputBufferPtr out);
    xmlTextWriterPtr (XMLCALL *NewTextWriter)(xmlOutputBufferPtr out);
    void (XMLCALL *FreeTextWriter)(xmlTextWriterPtr writer);
    int (XMLCALL *TextWriterSetIndent)(xmlTextWriterPtr writer, int indent);
    int (XMLCALL *TextWriterSetIndentString)(xmlTextWriterPtr writer,
                                             const xmlChar *str);
    int (XMLCALL *TextWriterStartDocument)(xmlTextWriterPtr writer,
                                           const char *version,
                                           const char *encoding,
                                           const char *standalone);
    int (XMLCALL *TextWriterEndDocument)(xmlTextWriterPtr writer);
    int (XMLCALL *TextWriterStartElement)(xmlTextWriterPtr writer,
                                          const xmlChar *name);
    int (XMLCALL *TextWriterEndElement)(xmlTextWriterPtr writer);
    int (XMLCALL *TextWriterFullEndElement)(xmlTextWriterPtr writer);
    int (XMLCALL *TextWriterStartDTD)(xmlTextWriterPtr writer,
                                      const xmlChar *name,
                                      const xmlChar *pubid,
                                      const xmlChar *sysid);
    int (XMLCALL *TextWriterEndDTD)(xmlTextWriterPtr writer);
    int (XMLCALL *TextWriterWriteRaw)(xmlTextWriterPtr writer,
                                      const xmlChar *content);
    int (XMLCALL *TextWriterWriteAttribute)(xmlTextWriterPtr writer,
                                            const xmlChar *name,
                                            const xmlChar *content);
    int (XMLCALL *TextWriterWriteString)(xmlTextWriterPtr writer,
                                         const xmlChar *content);
    int (XMLCALL *TextWriterFlush)(xmlTextWriterPtr writer);
    xmlTextReaderPtr (XMLCALL *ReaderForMemory)(const char *buffer, int size,
                                                const char *URL,
                                                const char *encoding,
                                                int options);
    int (XMLCALL *TextReaderRead)(xmlTextReaderPtr reader);
    int (XMLCALL *TextReaderNodeType)(xmlTextReaderPtr reader);
    const xmlChar *(XMLCALL *TextReaderConstLocalName)(
        xmlTextReaderPtr reader);
    int (XMLCALL *TextReaderMoveToAttribute)(xmlTextReaderPtr reader,
                                             const xmlChar *name);
    const xmlChar *(XMLCALL *TextReaderConstValue)(xmlTextReaderPtr reader);
    int (XMLCALL *TextReaderMoveToElement)(xmlTextReaderPtr reader);
    void (XMLCALL *FreeTextReader)(xmlTextReaderPtr reader);
};

/* CORDON__LIBXML_CHECK(table, X) fails to compile when member X of the
 * table and libxml2's xmlX differ in type. sizeof does not evaluate its
 * operand, so this names xmlX without referring to the symbol: no link
 * dependency on libxml2 comes of it. */
#define CORDON__LIBXML_CHECK(table, name) (void)sizeof((table).name = xml##name);

/* cordon__libxml_load returns the table with every member set, loading
 * libxml2 the first time where it is not linked in; NULL when it cannot,
 * after writing why (naming the library, without the fix) into why. */
const struct cordon__libxml *cordon__libxml_load(char *why, size_t size);

struct cordon__sink;
/* cordon__libxml_writer (report_junit.c) loads libxml2 into *x and makes
 * a text writer whose output drains into out, as the JUnit and HTML
 * reports write; NULL with errno set (ENOENT: libxml2 could not be
 * loaded, ENOMEM) when it cannot. */
xmlTextWriterPtr cordon__libxml_writer(struct cordon__sink *out,
                                       const struct cordon__libxml **x);

#endif /* CORDON_LIBXML_H */
