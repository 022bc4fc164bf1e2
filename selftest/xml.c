// SPDX-License-Identifier: MIT
// xml.c — the libxml2 side of the selftests: parsing reports, XPath
// queries, schema validation, and serialising a report without the
// attributes that legitimately differ from run to run.
#include "xml.h"

#include <cordon.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct st_xml {
    xmlDocPtr doc;
};

/* last_complaint copies libxml2's last error message into why. */
static void
last_complaint(char *why, size_t size, const char *fallback)
{
    const xmlError *e = xmlGetLastError();
    size_t n;

    if (why == NULL || size == 0)
        return;
    snprintf(why, size, "%s", e != NULL && e->message != NULL ? e->message
                                                              : fallback);
    n = strlen(why);
    if (n > 0 && why[n - 1] == '\n')
        why[n - 1] = '\0';
}

struct st_xml *
st_xml_load(const char *path, char *why, size_t why_size)
{
    struct st_xml *x;
    xmlDocPtr doc;

    xmlResetLastError();
    /* HUGE: a report written with --output-limit 0 may hold a text node
     * above libxml2's default 10 MB limit. */
    doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_HUGE);
    if (doc == NULL) {
        last_complaint(why, why_size, "cannot read the file");
        return NULL;
    }
    x = malloc(sizeof *x);
    if (x == NULL) {
        xmlFreeDoc(doc);
        return NULL;
    }
    x->doc = doc;
    return x;
}

void
st_xml_free(struct st_xml *x)
{
    if (x == NULL)
        return;
    xmlFreeDoc(x->doc);
    free(x);
}

static xmlXPathObjectPtr
eval(struct st_xml *x, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(x->doc);
    xmlXPathObjectPtr obj;

    if (ctx == NULL)
        return NULL;
    obj = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    xmlXPathFreeContext(ctx);
    return obj;
}

size_t
st_xml_count(struct st_xml *x, const char *xpath)
{
    xmlXPathObjectPtr obj = eval(x, xpath);
    size_t n = (size_t)-1;

    if (obj != NULL && obj->type == XPATH_NODESET)
        n = obj->nodesetval ? (size_t)obj->nodesetval->nodeNr : 0;
    xmlXPathFreeObject(obj);
    return n;
}

static char *
dup_xml_string(xmlChar *s)
{
    char *copy = strdup(s ? (const char *)s : "");

    xmlFree(s);
    return copy;
}

char *
st_xml_string(struct st_xml *x, const char *xpath)
{
    xmlXPathObjectPtr obj = eval(x, xpath);
    char *s;

    if (obj == NULL)
        return NULL;
    s = dup_xml_string(xmlXPathCastToString(obj));
    xmlXPathFreeObject(obj);
    return s;
}

long
st_xml_number(struct st_xml *x, const char *xpath)
{
    char *s = st_xml_string(x, xpath);
    long n;

    ASSERT_NOT_NULL(s, "invalid XPath: %s", xpath);
    n = strtol(s, NULL, 10);
    free(s);
    return n;
}

char **
st_xml_strings(struct st_xml *x, const char *xpath, size_t *n)
{
    xmlXPathObjectPtr obj = eval(x, xpath);
    char **v;
    size_t count;

    *n = 0;
    if (obj == NULL || obj->type != XPATH_NODESET) {
        xmlXPathFreeObject(obj);
        return NULL;
    }
    count = obj->nodesetval ? (size_t)obj->nodesetval->nodeNr : 0;
    v = calloc(count + 1, sizeof *v);
    for (size_t i = 0; v != NULL && i < count; i++)
        v[i] = dup_xml_string(
            xmlNodeGetContent(obj->nodesetval->nodeTab[i]));
    xmlXPathFreeObject(obj);
    *n = v ? count : 0;
    return v;
}

void
st_xml_strings_free(char **v)
{
    for (size_t i = 0; v != NULL && v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

/* strip removes the listed attributes from node and every element in it;
 * only_testcase limits it to <testcase> elements. */
static void
strip(xmlNodePtr node, const char *const *attrs, bool only_testcase)
{
    for (xmlNodePtr n = node; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (!only_testcase ||
            xmlStrcmp(n->name, BAD_CAST "testcase") == 0)
            for (size_t i = 0; attrs[i] != NULL; i++)
                while (xmlUnsetProp(n, BAD_CAST attrs[i]) == 0)
                    ;
        strip(n->children, attrs, only_testcase);
    }
}

char *
st_xml_without(struct st_xml *x, const char *const *attrs)
{
    xmlDocPtr copy = xmlCopyDoc(x->doc, 1);
    xmlChar *mem = NULL;
    int size = 0;
    char *out;

    if (copy == NULL)
        return NULL;
    strip(xmlDocGetRootElement(copy), attrs, false);
    xmlDocDumpMemory(copy, &mem, &size);
    xmlFreeDoc(copy);
    out = dup_xml_string(mem);
    return out;
}

size_t
st_xml_remove(struct st_xml *x, const char *xpath)
{
    xmlXPathObjectPtr obj = eval(x, xpath);
    size_t n = (size_t)-1;

    if (obj != NULL && obj->type == XPATH_NODESET) {
        n = obj->nodesetval ? (size_t)obj->nodesetval->nodeNr : 0;
        /* In reverse document order: a node inside another selected
         * one goes first, so none is freed twice. */
        for (size_t i = n; i-- > 0;) {
            xmlNodePtr node = obj->nodesetval->nodeTab[i];

            if (node->type == XML_ATTRIBUTE_NODE) {
                xmlRemoveProp((xmlAttrPtr)node);
            } else if (node->type != XML_NAMESPACE_DECL) {
                xmlNodePtr indent = node->prev;

                /* Its indentation too, or the text around it differs. */
                if (indent != NULL && xmlIsBlankNode(indent)) {
                    xmlUnlinkNode(indent);
                    xmlFreeNode(indent);
                }
                xmlUnlinkNode(node);
                xmlFreeNode(node);
            }
        }
    }
    xmlXPathFreeObject(obj);
    return n;
}

bool
st_schema_present(void)
{
    return access(ST_JUNIT_XSD, R_OK) == 0;
}

int
st_xml_validate(struct st_xml *x, const char *xsd, char *why,
                size_t why_size)
{
    static const char *const extras[] = {"file", "line", NULL};
    xmlSchemaParserCtxtPtr pctx;
    xmlSchemaValidCtxtPtr vctx = NULL;
    xmlSchemaPtr schema = NULL;
    xmlDocPtr copy = NULL;
    int rc = -1;

    xmlResetLastError();
    pctx = xmlSchemaNewParserCtxt(xsd);
    if (pctx != NULL)
        schema = xmlSchemaParse(pctx);
    if (schema == NULL) {
        last_complaint(why, why_size, "cannot load the schema");
        goto out;
    }
    vctx = xmlSchemaNewValidCtxt(schema);
    copy = xmlCopyDoc(x->doc, 1);
    if (vctx == NULL || copy == NULL) {
        last_complaint(why, why_size, "out of memory");
        goto out;
    }
    strip(xmlDocGetRootElement(copy), extras, true);
    rc = xmlSchemaValidateDoc(vctx, copy) == 0 ? 0 : 1;
    if (rc != 0)
        last_complaint(why, why_size, "invalid");
out:
    xmlFreeDoc(copy);
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pctx);
    return rc;
}
