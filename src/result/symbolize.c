// SPDX-License-Identifier: MIT
// symbolize.c — the supervisor's side of a crash report: turns the raw
// addresses a test process's handler stored (backtrace.c) into "function
// at file:line" lines. It runs in the worker that forked the test, which is
// healthy and had the same mappings then (same binary, same libraries,
// same load addresses, ASLR included), so most addresses of the test are
// addresses here. Not all: the test may have loaded a library itself, and
// the worker another one at that address since (libdw, for one). So each
// frame is named in the file the handler noted for it, where the test
// process had it: through this process's own view when it maps that file
// there too, else from the file itself; a frame where the test had no code
// at all (a call through a NULL or stale function pointer) is only its
// address. Names, static functions included, and file:line come from the
// binary's own debug information through
// elfutils' libdwfl, opened with dlopen() on the first crash and never
// before, so a test binary does not need libdw and a run without crashes
// never maps it (like libxml2 for JUnit, libxml_dlopen.c). Without libdw,
// names come from dladdr(): only exported symbols of what is mapped here,
// and the report says so.
//
// libdw is told never to fetch anything: separate debug files are looked
// for on this machine only, and not at all when DEBUGINFOD_URLS is set (a
// crash report must not wait on the network).
#include "result/result.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef CORDON_HAVE_LIBDW
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#endif

/* CMake passes the SONAME of the libdw it found. */
#ifndef CORDON_LIBDW_SONAME
#define CORDON_LIBDW_SONAME "libdw.so.1"
#endif

/* The longest name or path shown for one frame. */
#define NAME_MAX_SHOWN 512

/* One frame, as far as it could be named. */
struct frame {
    const char *function; /* NULL = unknown */
    const char *inlined;  /* the function inlined into it there, or NULL */
    uintptr_t function_at; /* its start, 0 = unknown */
    uintptr_t offset;      /* into the function */
    const char *file;      /* NULL = unknown */
    int line;
    const char *module;    /* basename; NULL = unknown */
    uintptr_t module_offset;
};

static const char *
base_name(const char *path)
{
    const char *slash = path != NULL ? strrchr(path, '/') : NULL;

    return slash != NULL ? slash + 1 : path;
}

#ifdef CORDON_HAVE_LIBDW

#define LIBDW_FUNCTIONS(X)                                                    \
    X(dwfl_begin) X(dwfl_end) X(dwfl_errmsg) X(dwfl_report_begin)             \
    X(dwfl_report_end) X(dwfl_linux_proc_report) X(dwfl_linux_proc_find_elf)  \
    X(dwfl_report_module)                                                     \
    X(dwfl_standard_find_debuginfo) X(dwfl_addrmodule)                        \
    X(dwfl_module_addrinfo) X(dwfl_module_getsrc) X(dwfl_lineinfo)            \
    X(dwfl_module_info) X(dwfl_module_getelf) X(dwfl_module_nextcu)           \
    X(dwarf_haspc) X(dwarf_getsrc_die) X(dwarf_lineno) X(dwarf_linesrc)     \
    X(dwfl_module_addrdie) X(dwarf_getscopes) X(dwarf_tag) X(dwarf_diename)

struct libdw {
    Dwfl *(*dwfl_begin)(const Dwfl_Callbacks *);
    void (*dwfl_end)(Dwfl *);
    const char *(*dwfl_errmsg)(int);
    void (*dwfl_report_begin)(Dwfl *);
    int (*dwfl_report_end)(Dwfl *,
                      int (*)(Dwfl_Module *, void *, const char *, Dwarf_Addr,
                              void *),
                      void *);
    int (*dwfl_linux_proc_report)(Dwfl *, pid_t);
    Dwfl_Module *(*dwfl_report_module)(Dwfl *, const char *, Dwarf_Addr,
                                       Dwarf_Addr);
    int (*dwfl_linux_proc_find_elf)(Dwfl_Module *, void **, const char *,
                               Dwarf_Addr, char **, Elf **);
    int (*dwfl_standard_find_debuginfo)(Dwfl_Module *, void **, const char *,
                                   Dwarf_Addr, const char *, const char *,
                                   GElf_Word, char **);
    Dwfl_Module *(*dwfl_addrmodule)(Dwfl *, Dwarf_Addr);
    const char *(*dwfl_module_addrinfo)(Dwfl_Module *, GElf_Addr, GElf_Off *,
                                   GElf_Sym *, GElf_Word *, Elf **,
                                   Dwarf_Addr *);
    Dwfl_Line *(*dwfl_module_getsrc)(Dwfl_Module *, Dwarf_Addr);
    const char *(*dwfl_lineinfo)(Dwfl_Line *, Dwarf_Addr *, int *, int *,
                            Dwarf_Word *, Dwarf_Word *);
    const char *(*dwfl_module_info)(Dwfl_Module *, void ***, Dwarf_Addr *,
                               Dwarf_Addr *, Dwarf_Addr *, Dwarf_Addr *,
                               const char **, const char **);
    Elf *(*dwfl_module_getelf)(Dwfl_Module *, GElf_Addr *);
    Dwarf_Die *(*dwfl_module_nextcu)(Dwfl_Module *, Dwarf_Die *, Dwarf_Addr *);
    int (*dwarf_haspc)(Dwarf_Die *, Dwarf_Addr);
    Dwarf_Line *(*dwarf_getsrc_die)(Dwarf_Die *, Dwarf_Addr);
    int (*dwarf_lineno)(Dwarf_Line *, int *);
    const char *(*dwarf_linesrc)(Dwarf_Line *, Dwarf_Word *, Dwarf_Word *);
    Dwarf_Die *(*dwfl_module_addrdie)(Dwfl_Module *, Dwarf_Addr,
                                      Dwarf_Addr *);
    int (*dwarf_getscopes)(Dwarf_Die *, Dwarf_Addr, Dwarf_Die **);
    int (*dwarf_tag)(Dwarf_Die *);
    const char *(*dwarf_diename)(Dwarf_Die *);
};

static struct libdw dw;
static Dwfl *session;
static char load_error[256];

_Static_assert(sizeof(void *) == sizeof(void (*)(void)),
               "dlsym() results must fit a function pointer");

/* find_debuginfo looks for a separate debug file on this machine
 * (/usr/lib/debug, .gnu_debuglink) only: with DEBUGINFOD_URLS set, libdw
 * would ask those servers, and a crash report must not wait on them. The
 * binary's own debug information is read before this is asked. */
static int
find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
               Dwarf_Addr base, const char *file_name,
               const char *debuglink_file, GElf_Word debuglink_crc,
               char **debuginfo_file_name)
{
    const char *urls = getenv("DEBUGINFOD_URLS");

    if (urls != NULL && urls[0] != '\0')
        return -1;
    return dw.dwfl_standard_find_debuginfo(mod, userdata, modname, base,
                                           file_name, debuglink_file,
                                           debuglink_crc, debuginfo_file_name);
}

static Dwfl_Callbacks callbacks = {.find_debuginfo = find_debuginfo};

/* open_session loads libdw and reports this process's modules; NULL with
 * load_error set when it cannot. Kept for the worker's next crash: its
 * mappings do not change between tests. */
static Dwfl *
open_session(void)
{
    static bool tried;
    struct libdw loaded;
    const char *missing = NULL;
    void *h;

/* name is a member name as well, which cannot be parenthesised.
 * NOLINTNEXTLINE(bugprone-macro-parentheses) */
#define CHECK(name) (void)sizeof(loaded.name = name);
    LIBDW_FUNCTIONS(CHECK)
#undef CHECK
    if (tried)
        return session;
    tried = true;
    h = dlopen(CORDON_LIBDW_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (h == NULL) {
        snprintf(load_error, sizeof load_error, "%s", dlerror());
        return NULL;
    }
#define LOAD(name)                                                            \
    if (missing == NULL) {                                                    \
        void *sym = dlsym(h, #name);                                          \
        if (sym == NULL)                                                      \
            missing = #name;                                                  \
        else                                                                  \
            memcpy(&loaded.name, &sym, sizeof sym);                           \
    }
/* GCC 12's -fanalyzer takes sym, tested not NULL, for uninitialised when
 * memcpy copies it: a false positive. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wanalyzer-use-of-uninitialized-value"
#endif
    LIBDW_FUNCTIONS(LOAD)
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 10
#pragma GCC diagnostic pop
#endif
#undef LOAD
    if (missing != NULL) {
        snprintf(load_error, sizeof load_error, "%s: no %s",
                 CORDON_LIBDW_SONAME, missing);
        dlclose(h);
        return NULL;
    }
    dw = loaded;
    callbacks.find_elf = dw.dwfl_linux_proc_find_elf;
    session = dw.dwfl_begin(&callbacks);
    if (session == NULL) {
        snprintf(load_error, sizeof load_error, "%s", dw.dwfl_errmsg(-1));
        return NULL;
    }
    dw.dwfl_report_begin(session);
    if (dw.dwfl_linux_proc_report(session, getpid()) != 0 ||
        dw.dwfl_report_end(session, NULL, NULL) != 0) {
        snprintf(load_error, sizeof load_error, "%s", dw.dwfl_errmsg(-1));
        dw.dwfl_end(session);
        session = NULL;
    }
    return session;
}

/* cu_of returns the compilation unit that holds pc, with its bias; NULL
 * when none does. Units are looked at one by one when libdw finds none:
 * before 0.191 it finds them through .debug_aranges only, which clang
 * does not write by default. */
static Dwarf_Die *
cu_of(Dwfl_Module *mod, uintptr_t pc, Dwarf_Addr *bias)
{
    Dwarf_Die *cu = dw.dwfl_module_addrdie(mod, pc, bias);

    if (cu != NULL)
        return cu;
    while ((cu = dw.dwfl_module_nextcu(mod, cu, bias)) != NULL)
        if (dw.dwarf_haspc(cu, pc - *bias) > 0)
            return cu;
    return NULL;
}

/* inlined_at returns the name of the innermost function inlined at at (a
 * unit-relative address), or NULL when the code there is its own
 * function's. */
static const char *
inlined_at(Dwarf_Die *cu, Dwarf_Addr at)
{
    Dwarf_Die *scopes = NULL;
    int n = dw.dwarf_getscopes(cu, at, &scopes);
    const char *name = NULL;

    for (int i = 0; i < n && name == NULL; i++)
        if (dw.dwarf_tag(&scopes[i]) == DW_TAG_inlined_subroutine)
            name = dw.dwarf_diename(&scopes[i]);
    free(scopes);
    return name;
}

/* module_name is what a frame's module is called: its file's base name,
 * or libdwfl's own name for a module without a file. For the vDSO (the
 * page of code the kernel maps into every process: i386's system calls,
 * clock_gettime() elsewhere) that name is "[vdso: PID]", after the
 * process reading it, which would make each run's report differ:
 * "[vdso]", as /proc/PID/maps calls it. */
static const char *
module_name(const char *file, const char *name)
{
    if (file != NULL)
        return base_name(file);
    if (name != NULL && strncmp(name, "[vdso", 5) == 0)
        return "[vdso]";
    return base_name(name);
}

/* name_dw names the frame at pc (already moved into its call instruction
 * for a return address) with libdw. */
static bool
name_dw(Dwfl *d, uintptr_t pc, struct frame *f)
{
    Dwfl_Module *mod = dw.dwfl_addrmodule(d, pc);
    GElf_Off off = 0;
    GElf_Sym sym;
    GElf_Addr bias = 0;
    Dwarf_Addr start = 0;
    const char *mainfile = NULL;
    const char *modname;
    Dwfl_Line *line;
    Dwarf_Addr cu_bias = 0;
    Dwarf_Die *cu;

    if (mod == NULL)
        return false;
    modname = dw.dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL,
                                  &mainfile, NULL);
    f->module = module_name(mainfile, modname);
    /* A file that cannot be read (gone since) has no bias to tell: the
     * offset is from where it was mapped. */
    if (dw.dwfl_module_getelf(mod, &bias) == NULL)
        bias = start;
    f->module_offset = pc - bias;
    f->function = dw.dwfl_module_addrinfo(mod, pc, &off, &sym, NULL, NULL,
                                          NULL);
    if (f->function != NULL) {
        f->offset = off;
        f->function_at = pc - off;
    }
    line = dw.dwfl_module_getsrc(mod, pc);
    if (line != NULL)
        f->file = dw.dwfl_lineinfo(line, NULL, &f->line, NULL, NULL, NULL);
    cu = cu_of(mod, pc, &cu_bias);
    if (cu == NULL)
        return true;
    if (f->file == NULL) {
        Dwarf_Line *l = dw.dwarf_getsrc_die(cu, pc - cu_bias);

        if (l != NULL && dw.dwarf_lineno(l, &f->line) == 0)
            f->file = dw.dwarf_linesrc(l, NULL, NULL);
    }
    /* The line of inlined code is the inlined function's: say whose. */
    if (f->file != NULL)
        f->inlined = inlined_at(cu, pc - cu_bias);
    return true;
}

#endif /* CORDON_HAVE_LIBDW */

/* name_dl names the frame at pc from the dynamic symbol tables. */
static void
name_dl(uintptr_t pc, struct frame *f)
{
    Dl_info info;

    memset(&info, 0, sizeof info);
    if (dladdr((void *)pc, &info) == 0)
        return;
    f->module = base_name(info.dli_fname);
    f->module_offset = pc - (uintptr_t)info.dli_fbase;
    if (info.dli_sname != NULL && info.dli_saddr != NULL) {
        f->function = info.dli_sname;
        f->function_at = (uintptr_t)info.dli_saddr;
        f->offset = pc - (uintptr_t)info.dli_saddr;
    }
}

/* path_of returns module k's path, or NULL when the record (which the
 * test could write to) does not hold a whole one there. */
static const char *
path_of(const struct cordon__crash *c, unsigned k)
{
    unsigned at = c->modules[k].path;

    if (at >= sizeof c->paths ||
        memchr(c->paths + at, '\0', sizeof c->paths - at) == NULL)
        return NULL;
    return c->paths + at;
}

/* What names the frames of one crash. */
struct namer {
    const struct cordon__crash *c;
    unsigned nmodules;
    /* Which of the crash's modules this process maps as the test process
     * did: the same file, from the same address. What this process knows
     * of its own mappings (libdw's session, dladdr()) holds for those
     * only: another may be where the test had a library it loaded. */
    bool here[CORDON__CRASH_MODULES];
#ifdef CORDON_HAVE_LIBDW
    Dwfl *own;     /* this process's modules; NULL = no libdw */
    Dwfl *foreign; /* the others, read from their files, for this crash */
    bool foreign_tried;
#endif
};

/* namer_init finds which of c's modules are mapped here too. */
static void
namer_init(struct namer *nm, const struct cordon__crash *c)
{
    struct cordon__maps maps;
    struct cordon__maps_line l;

    memset(nm, 0, sizeof *nm);
    nm->c = c;
    nm->nmodules = c->nmodules < CORDON__CRASH_MODULES ? c->nmodules
                                                       : CORDON__CRASH_MODULES;
    if (nm->nmodules == 0 || cordon__maps_open(&maps) == -1)
        return;
    while (cordon__maps_next(&maps, &l))
        for (unsigned k = 0; k < nm->nmodules; k++) {
            const char *path = path_of(c, k);

            if (!nm->here[k] && l.file && l.whole && path != NULL &&
                l.start == c->modules[k].low && strcmp(l.path, path) == 0)
                nm->here[k] = true;
        }
    cordon__maps_close(&maps);
}

/* foreign_module returns the module of frame i when it is not mapped here
 * as it was in the test process; NULL when this process's own view can
 * name the frame, or nothing better is known. */
static const struct cordon__crash_module *
foreign_module(const struct namer *nm, unsigned i)
{
    unsigned k = nm->c->module_of[i];

    if (k == 0 || k > nm->nmodules || nm->here[k - 1] ||
        path_of(nm->c, k - 1) == NULL)
        return NULL;
    return &nm->c->modules[k - 1];
}

#ifdef CORDON_HAVE_LIBDW
/* open_foreign reports, in a session of their own, the modules of the
 * crash that are not mapped here, where the test process had them: libdw
 * reads each from its file. NULL when it cannot. */
static Dwfl *
open_foreign(const struct namer *nm)
{
    Dwfl *d = dw.dwfl_begin(&callbacks);

    if (d == NULL)
        return NULL;
    dw.dwfl_report_begin(d);
    for (unsigned k = 0; k < nm->nmodules; k++) {
        const struct cordon__crash_module *m = &nm->c->modules[k];
        const char *path = path_of(nm->c, k);
        char *full = NULL;

        /* libdw opens a module's file by an absolute path only. A path
         * from the dynamic linker's list is the one dlopen() was given:
         * a relative one is taken from here, the directory the test
         * started in. */
        if (path != NULL && path[0] != '/')
            path = full = realpath(path, NULL);
        if (!nm->here[k] && path != NULL && m->low < m->high)
            (void)dw.dwfl_report_module(d, path, m->low, m->high);
        free(full);
    }
    if (dw.dwfl_report_end(d, NULL, NULL) != 0) {
        dw.dwfl_end(d);
        return NULL;
    }
    return d;
}
#endif

/* name_frame names frame i, at pc, of the crash. */
static void
name_frame(struct namer *nm, unsigned i, uintptr_t pc, struct frame *f)
{
    const struct cordon__crash_module *m;

    /* The test had no code there: whatever this process has is another. */
    if (nm->c->module_of[i] == CORDON__CRASH_NO_CODE)
        return;
    m = foreign_module(nm, i);
    if (m != NULL) {
#ifdef CORDON_HAVE_LIBDW
        if (nm->own != NULL && !nm->foreign_tried) {
            nm->foreign_tried = true;
            nm->foreign = open_foreign(nm);
        }
        if (nm->foreign != NULL && name_dw(nm->foreign, pc, f))
            return;
#endif
        /* dladdr() knows only this process's objects: the test's module
         * and the offset into it, then. */
        f->module = base_name(path_of(nm->c, (unsigned)(m - nm->c->modules)));
        f->module_offset = pc - m->low;
        return;
    }
#ifdef CORDON_HAVE_LIBDW
    if (nm->own != NULL && name_dw(nm->own, pc, f))
        return;
#endif
    name_dl(pc, f);
}

/* describe appends one frame, without its number; at is its address as
 * recorded, shown when nothing names it. */
static void
describe(struct cordon__buf *b, const struct frame *f, uintptr_t at)
{
    if (f->function != NULL && f->file != NULL && f->inlined != NULL) {
        cordon__buf_printf(b, "%.*s (inlined into %.*s) at %.*s:%d",
                           NAME_MAX_SHOWN, f->inlined, NAME_MAX_SHOWN,
                           f->function, NAME_MAX_SHOWN, f->file, f->line);
    } else if (f->function != NULL && f->file != NULL) {
        cordon__buf_printf(b, "%.*s at %.*s:%d", NAME_MAX_SHOWN, f->function,
                           NAME_MAX_SHOWN, f->file, f->line);
    } else if (f->function != NULL) {
        cordon__buf_printf(b, "%.*s+0x%jx in %.*s", NAME_MAX_SHOWN,
                           f->function, (uintmax_t)f->offset, NAME_MAX_SHOWN,
                           f->module != NULL ? f->module : "?");
    } else if (f->module != NULL) {
        cordon__buf_printf(b, "%.*s+0x%jx", NAME_MAX_SHOWN, f->module,
                           (uintmax_t)f->module_offset);
    } else {
        cordon__buf_printf(b, "0x%jx", (uintmax_t)at);
    }
}

static bool
is_stop(const struct frame *f, const uintptr_t *stops, size_t nstops)
{
    for (size_t i = 0; i < nstops; i++)
        if (f->function_at != 0 && f->function_at == stops[i])
            return true;
    return false;
}

/* nearest_stop guesses, for frames no name was found for, which one is
 * in a stop function: the frame closest above a stop's start, within
 * 64 KiB (a function's code follows its start). Returns its index, or
 * n when none is. */
static unsigned
nearest_stop(const struct cordon__crash *c, unsigned n, const uintptr_t *stops,
             size_t nstops)
{
    uintptr_t best = (uintptr_t)64 * 1024;
    unsigned at = n;

    for (unsigned i = 0; i < n; i++)
        for (size_t k = 0; k < nstops; k++)
            if (c->module_of[i] != CORDON__CRASH_NO_CODE &&
                c->frames[i] >= stops[k] && c->frames[i] - stops[k] < best) {
                best = c->frames[i] - stops[k];
                at = i;
            }
    return at;
}

/* unread_why says why the test's /proc/self/maps could not be read. */
static const char *
unread_why(int err)
{
    static char text[160];

    if (err == EMFILE || err == ENFILE)
        return "no file descriptor was free";
    snprintf(text, sizeof text, "/proc/self/maps: %s", strerror(err));
    return text;
}

/* site_at returns the index of the first frame, below the interrupted
 * one, that is a trampoline's (its return address is a trampoline's call
 * site), or n when none is. */
static unsigned
site_at(const struct cordon__crash *c, unsigned n, const struct cordon__cut *cut)
{
    for (unsigned i = 1; cut != NULL && i < n; i++)
        for (size_t k = 0; k < cut->nsites; k++)
            if (c->frames[i] == cut->sites[k])
                return i;
    return n;
}

void
cordon__symbolize(const struct cordon__crash *c, const struct cordon__cut *cut,
                  struct cordon__buf *out)
{
    struct cordon__buf line = {0}, last = {0};
    unsigned n = c->nframes < CORDON__CRASH_FRAMES ? c->nframes
                                                   : CORDON__CRASH_FRAMES;
    unsigned repeats = 0, with_line = 0, bare = 0;
    const char *lineless = NULL; /* the test's module, when it had none */
    bool stopped = false, dw_ok = false;
    const uintptr_t *stops = cut != NULL ? cut->stops : NULL;
    size_t nstops = cut != NULL ? cut->nstops : 0;
    unsigned site = site_at(c, n, cut), guess = n;
    bool at_site = site < n;
    struct namer nm;

    namer_init(&nm, c);
#ifdef CORDON_HAVE_LIBDW
    nm.own = open_session();
    dw_ok = nm.own != NULL;
#endif
    /* Below a trampoline's frame all is cordon's and the program's start:
     * the frames shown end above it. The frame just above is the TEST_P
     * wrapper's own when it was not folded away (-O0): a call to the
     * body, at the wrapper's line, which says nothing the body's frame
     * does not. It goes only when the debug information says the code
     * there is the wrapper's alone, not the body inlined into it. */
    if (at_site) {
        struct frame f = {0};

        n = site;
        if (n > 1 && cut->wrapper != 0) {
            name_frame(&nm, n - 1, c->frames[n - 1] - 1, &f);
            if (f.function_at == cut->wrapper && f.file != NULL &&
                f.inlined == NULL)
                n--;
        }
    } else {
        guess = nearest_stop(c, n, stops, nstops);
    }

    for (unsigned i = 0; i < n && !stopped; i++) {
        /* A return address is the instruction after the call: its line
         * may be the next statement's. The interrupted instruction (frame
         * 0) is itself. */
        uintptr_t pc = c->frames[i] - (i > 0 && c->frames[i] > 0);
        struct frame f = {0};

        name_frame(&nm, i, pc, &f);
        stopped = at_site ? i + 1 == n
                          : is_stop(&f, stops, nstops) ||
                                (f.function == NULL && i == guess);
        with_line += f.file != NULL;
        bare += f.function == NULL && f.module == NULL;
        /* A frame in no module at all (a call or jump into data, the
         * test's last call made a jump) is no code, without lines
         * whatever the test was built with. */
        if (stopped && f.file == NULL &&
            (f.function != NULL || f.module != NULL))
            lineless = f.module != NULL ? f.module : "the test";
        line.len = 0;
        cordon__buf_add(&line, "", 0);
        describe(&line, &f, c->frames[i]);
        /* Deep recursion (a stack overflow) repeats one frame: shown once
         * with a count. */
        if (last.data != NULL && strcmp(line.data, last.data) == 0 &&
            !stopped) {
            repeats++;
            continue;
        }
        if (repeats > 0)
            cordon__buf_printf(out, "... the same frame %u more time%s\n",
                               repeats, repeats == 1 ? "" : "s");
        repeats = 0;
        cordon__buf_printf(out, "#%u %s\n", i, line.data);
        last.len = 0;
        cordon__buf_add(&last, line.data, line.len);
    }
    if (repeats > 0)
        cordon__buf_printf(out, "... the same frame %u more time%s\n",
                           repeats, repeats == 1 ? "" : "s");
    if (!stopped && n == CORDON__CRASH_FRAMES)
        cordon__buf_printf(out, "(only the first %u frames were recorded)\n",
                           n);
    else if (!stopped && c->cut)
        cordon__buf_printf(out, "(the unwinder faulted after these frames: "
                           "the stack may be damaged)\n");
#ifdef CORDON_HAVE_LIBDW
    if (!dw_ok)
        cordon__buf_printf(out, "(names of exported functions only, no "
                           "file:line: %s; install libdw1 to get them)\n",
                           load_error);
#else
    cordon__buf_printf(out, "(names of exported functions only, no "
                       "file:line: this cordon was built without libdw)\n");
#endif
    /* The test's own frame says whether its code has line information;
     * without a stop found, any frame with a line will do. */
    if (dw_ok && lineless == NULL && !stopped && bare < n && with_line == 0)
        lineless = "these frames";
    if (dw_ok && lineless != NULL)
        cordon__buf_printf(out, "(no file:line for %s: no debug information; "
                           "build the tests with -g)\n", lineless);
    /* Without the test's list, a frame in a library it loaded itself is
     * one this process cannot name. */
    if (c->modules_errno != 0 && bare > 0)
        cordon__buf_printf(out, "(the test's module list could not be read: "
                           "%s)\n", unread_why(c->modules_errno));
#ifdef CORDON_HAVE_LIBDW
    if (nm.foreign != NULL)
        dw.dwfl_end(nm.foreign);
#endif
    free(line.data);
    free(last.data);
}

void
cordon__symbolize_address(int sig, int code, uintptr_t addr, uintptr_t sp,
                          uintptr_t pc, char *out, size_t size)
{
    /* A fault this close to the stack pointer is the stack's guard page:
     * the frame being pushed did not fit. */
    const uintptr_t near_sp = (uintptr_t)64 * 1024;
#if defined(__s390__)
    /* s390x names the page of a fault, not its address (the kernel has
     * no more from the machine): a fetch there faults at pc's page. */
    const bool fetch = addr == (pc & ~(uintptr_t)4095);
#else
    const bool fetch = addr == pc;
#endif
    const char *what = "";

    if (addr == 0)
        what = " (NULL pointer)";
    else if (addr < 4096)
        what = " (near NULL: a member of a NULL pointer?)";
    /* A fault at the program counter is the fetch of an instruction: a
     * call or jump to where there is no code (a buffer on the stack is
     * next to the stack pointer too). */
    else if (sig == SIGSEGV && fetch && code == SEGV_ACCERR)
        what = " (mapped, but not as code: a call or jump into data)";
    else if (sig == SIGSEGV && !fetch && sp != 0 &&
             addr < sp + near_sp && addr + near_sp > sp)
        what = " (next to the stack pointer: a stack overflow)";
    else if (sig == SIGSEGV && code == SEGV_MAPERR)
        what = " (nothing is mapped there)";
    else if (sig == SIGSEGV && code == SEGV_ACCERR)
        what = " (mapped, but not for this access)";
    else if (sig == SIGBUS && code == BUS_ADRERR)
        what = " (no memory behind it: past the end of a mapped file?)";
    else if (sig == SIGBUS && code == BUS_ADRALN)
        what = " (misaligned)";
    snprintf(out, size, "0x%jx%s", (uintmax_t)addr, what);
}

/* copy_checked copies up to size bytes at p into out without touching p
 * itself: through a pipe, whose write() fails with EFAULT where p is not
 * readable, where reading it here would crash. p comes from the test's
 * record, which the test may have scribbled on, and even inside a mapped
 * object there are unreadable gaps. Returns the bytes copied. */
static size_t
copy_checked(int fds[2], uintptr_t p, char *out, size_t size)
{
    size_t got = 0;

    while (got < size) {
        ssize_t w = write(fds[1], (const char *)p + got, size - got);
        ssize_t r;

        if (w <= 0)
            break;
        r = read(fds[0], out + got, (size_t)w);
        if (r != w)
            break;
        got += (size_t)w;
    }
    return got;
}

bool
cordon__symbolize_file(uintptr_t p, char *out, size_t size)
{
    Dl_info info;
    size_t n = 0;
    int fds[2];

    memset(&info, 0, sizeof info);
    if (p == 0 || size == 0 || dladdr((void *)p, &info) == 0 ||
        info.dli_fname == NULL || pipe(fds) == -1)
        return false;
    /* A byte at a time up to the string's end: the next byte may be
     * where the readable memory ends. (A worker's pipe of its own, gone
     * before its next test is forked.) */
    while (n + 1 < size && copy_checked(fds, p + n, out + n, 1) == 1 &&
           out[n] != '\0')
        n++;
    out[n] = '\0';
    close(fds[0]);
    close(fds[1]);
    return n > 0;
}

/* details adds to r the last check passed and, when rec's capture is of
 * the signal that ended it, the fault and the frames, ending where cut
 * says (its sites are filled in here). */
static void
details(struct cordon__result *r, const struct cordon__record *rec,
        struct cordon__cut *cut, struct cordon__spool *sp)
{
    const struct cordon__crash *c = &rec->crash;
    int sig = atomic_load_explicit(&c->signal, memory_order_acquire);
    char file[NAME_MAX_SHOWN];
    struct cordon__buf text = {0};

    if (cordon__symbolize_file(atomic_load(&rec->checkpoint_file), file,
                               sizeof file)) {
        cordon__buf_printf(&text, "%s:%d", file,
                           atomic_load(&rec->checkpoint_line));
        r->checkpoint = cordon__spool_add(sp, text.data, text.len);
    }
    /* The capture must be of the signal that ended the test: the one in
     * its wait status, the watchdog's on the way to a timeout, or one
     * that a handler after cordon's (a sanitizer's) turned into an exit. */
    if (sig != 0 && (sig == r->signal || (r->outcome != CORDON_OUTCOME_CRASH &&
                                          !r->teardown_crashed))) {
        cut->nsites = cordon__trampoline_sites(&cut->sites);
        /* si_addr is an address only when the kernel sent the signal for
         * a fault (si_code > 0); from kill() or raise() it is not. */
        if ((sig == SIGSEGV || sig == SIGBUS) && c->code > 0) {
            r->fault_signal = sig;
            r->fault_code = c->code;
            r->fault_addr = c->addr;
            r->fault_sp = c->sp;
            /* frames[0] is the interrupted instruction when the
             * registers were read; otherwise a return address, which
             * only an instruction fetch makes fault. */
            r->fault_pc = c->nframes > 0 ? c->frames[0] : 0;
        }
        text.len = 0;
        cordon__buf_add(&text, "", 0);
        cordon__symbolize(c, cut, &text);
        r->backtrace = cordon__spool_add(sp, text.data, text.len);
    }
    free(text.data);
}

/* reported says whether r shows where its test was: not when the test
 * ended for reasons of its own making (a failed check or a skip says
 * where it was already). A teardown that crashed is a crash, whatever
 * verdict the body's run leaves. */
static bool
reported(const struct cordon__result *r)
{
    return r->outcome == CORDON_OUTCOME_CRASH ||
           r->outcome == CORDON_OUTCOME_TIMEOUT ||
           r->outcome == CORDON_OUTCOME_EXIT || r->teardown_crashed;
}

void
cordon__symbolize_result(struct cordon__result *r,
                         const struct cordon__record *rec,
                         struct cordon__spool *sp)
{
    const struct cordon_impl_test *t = r->test;
    uintptr_t stops[3];
    struct cordon__cut cut = {.stops = stops};

    if (!reported(r))
        return;
    if (t->param_body_ != NULL) {
        cut.wrapper = (uintptr_t)t->param_body_;
        stops[cut.nstops++] = cut.wrapper;
    } else {
        stops[cut.nstops++] = (uintptr_t)t->body;
    }
    if (t->options.setup != NULL)
        stops[cut.nstops++] = (uintptr_t)t->options.setup;
    if (t->options.teardown != NULL)
        stops[cut.nstops++] = (uintptr_t)t->options.teardown;
    details(r, rec, &cut, sp);
}

void
cordon__symbolize_once(struct cordon__result *r,
                       const struct cordon__record *rec,
                       const struct cordon_impl_suite *s,
                       struct cordon__spool *sp)
{
    uintptr_t stop = (uintptr_t)s->options.once;
    struct cordon__cut cut = {.stops = &stop, .nstops = 1};

    if (reported(r))
        details(r, rec, &cut, sp);
}
