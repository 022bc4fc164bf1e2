// SPDX-License-Identifier: MIT
// xml.h — reading the JUnit reports the selftests produce, with libxml2:
// parse a file, ask XPath questions of it, validate it against the JUnit
// schema, and compare two reports with chosen attributes left out.
#ifndef CORDON_SELFTEST_XML_H
#define CORDON_SELFTEST_XML_H

#include <stdbool.h>
#include <stddef.h>

/* ST_JUNIT_XSD is the JUnit schema the reports must satisfy (the Jenkins
 * xUnit plugin's junit-10.xsd), kept beside the source tree. */
#define ST_JUNIT_XSD CORDON_SOURCE_DIR "/../shared/junit/junit-10.xsd"

struct st_xml;

/* st_xml_load parses the file at path (strictly: no recovery, no network,
 * no entity expansion). Returns NULL when it is missing or not well-formed,
 * with libxml2's last complaint copied into why (may be NULL). */
struct st_xml *st_xml_load(const char *path, char *why, size_t why_size);
void st_xml_free(struct st_xml *x);

/* st_xml_count returns how many nodes the XPath expression selects, or
 * (size_t)-1 when the expression is invalid or selects no node set. */
size_t st_xml_count(struct st_xml *x, const char *xpath);

/* st_xml_string returns the XPath string value of the expression (the
 * first node's text for a node set, "" for an empty one); free() it.
 * NULL when the expression is invalid. */
char *st_xml_string(struct st_xml *x, const char *xpath);

/* st_xml_number returns the XPath string value of the expression read
 * as a decimal integer (0 when it is not one); an invalid expression
 * ends the test. */
long st_xml_number(struct st_xml *x, const char *xpath);

/* st_xml_strings returns the string value of each node the expression
 * selects, in document order, as a NULL-terminated array; *n gets the
 * count. Free it with st_xml_strings_free. NULL when invalid. */
char **st_xml_strings(struct st_xml *x, const char *xpath, size_t *n);
void st_xml_strings_free(char **v);

/* st_xml_without returns the document serialised with every attribute
 * named in the NULL-terminated list removed from every element, so two
 * reports can be compared apart from those attributes; free() it. */
char *st_xml_without(struct st_xml *x, const char *const *attrs);

/* st_xml_remove removes every node the XPath expression selects (and
 * what it holds) from the document; returns how many, or (size_t)-1 when
 * the expression is invalid or selects no node set. */
size_t st_xml_remove(struct st_xml *x, const char *xpath);

/* st_schema_present says whether the JUnit schema file exists. */
bool st_schema_present(void);

/* st_xml_validate validates the document against the schema at xsd once
 * the testcase attributes cordon adds beyond it (file, line) are removed
 * (from a copy). Returns 0 when valid, 1 when not, -1 when the schema
 * cannot be loaded; libxml2's last complaint goes to why. */
int st_xml_validate(struct st_xml *x, const char *xsd, char *why,
                    size_t why_size);

#endif
