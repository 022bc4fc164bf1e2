// SPDX-License-Identifier: MIT
// modules.c — the crash handler's note of which file (executable,
// library) holds each frame it captured, and where the test process had
// it mapped: its worker names the frames from that (symbolize.c), since a
// library the test loaded itself is not mapped in the worker, and may
// have been replaced there by another. It also marks the frames where the
// test had no code at all. Runs in the crash handler (backtrace.c), so it
// allocates nothing and calls only what a handler may.
//
// The list comes from /proc/self/maps (maps.c), which needs a free file
// descriptor. A test that has none (it hit RLIMIT_NOFILE, or leaks them),
// or a system without /proc, gets the dynamic linker's list instead,
// through dl_iterate_phdr(). That function is not async-signal-safe by
// any standard: glibc takes the loader's list lock, a recursive one, so a
// crash inside the loader in this thread re-takes it, and another thread
// holds it only to change the list or walk it. The unwinder that captured
// the frames (glibc's backtrace(), libgcc's) has just called the same
// function from the same handler, so the fallback adds no hazard of its
// own: a fault in it is caught as one in the unwinder is, and a wait that
// never ends is ended by the watchdog's SIGALRM, with what was captured.
#include "testproc/testproc.h"

#include <errno.h>
#include <string.h>

#ifdef CORDON_HAVE_DL_ITERATE_PHDR
#include <link.h>
#endif

/* A mapped file being read from the maps, not yet noted. */
struct pending {
    bool open;
    bool holds;   /* a frame is in it */
    bool noted;   /* its path fitted in paths[] */
    uint64_t device, inode;
    uintptr_t low, high;
    size_t path_len;
};

/* close_pending notes p as the next module of c when a frame is in it and
 * there was room for its path; otherwise its frames stay unknown. */
static void
close_pending(struct cordon__crash *c, struct pending *p, size_t *used)
{
    unsigned char mark = (unsigned char)(c->nmodules + 1);

    if (!p->open)
        return;
    if (p->holds && p->noted) {
        c->modules[c->nmodules].low = p->low;
        c->modules[c->nmodules].high = p->high;
        c->modules[c->nmodules].path = (unsigned)*used;
        c->nmodules++;
        *used += p->path_len + 1;
    } else if (p->holds) {
        for (unsigned i = 0; i < c->nframes; i++)
            if (c->module_of[i] == mark)
                c->module_of[i] = 0;
    }
    p->open = false;
}

/* in_frame says where frame i of c is looked for: a return address is
 * just after its call, which may be a mapping's last instruction. */
static uintptr_t
in_frame(const struct cordon__crash *c, unsigned i)
{
    return c->frames[i] - (i > 0 && c->frames[i] > 0);
}

/* from_maps notes the modules from this process's /proc/self/maps: the
 * portions of one file (by device and inode) are one module, from its
 * first mapping's start to its last one's end, as libdwfl's
 * dwfl_linux_proc_report reads them. A frame in no mapping, or in one
 * that is not executable, is where the test had no code. Returns 0, or
 * the errno of opening the maps. */
static int
from_maps(struct cordon__crash *c)
{
    struct cordon__maps maps;
    struct cordon__maps_line l;
    struct pending p = {0};
    size_t used = 0;
    uint64_t seen = 0; /* bit i: frame i is in some mapping */
    bool whole = true;

    _Static_assert(CORDON__CRASH_FRAMES <= 64, "a bit a frame in seen");
    if (cordon__maps_open(&maps) == -1)
        return errno != 0 ? errno : ENOENT;
    while (cordon__maps_next(&maps, &l)) {
        for (unsigned i = 0; i < c->nframes; i++) {
            uintptr_t at = in_frame(c, i);

            if (at < l.start || at >= l.end)
                continue;
            seen |= (uint64_t)1 << i;
            if (!l.exec && c->module_of[i] == 0)
                c->module_of[i] = CORDON__CRASH_NO_CODE;
        }
        if (!l.file)
            continue;
        if (!p.open || l.device != p.device || l.inode != p.inode) {
            close_pending(c, &p, &used);
            if (c->nmodules == CORDON__CRASH_MODULES) {
                whole = false;
                break;
            }
            p = (struct pending){.open = true, .device = l.device,
                                 .inode = l.inode, .low = l.start,
                                 .path_len = strlen(l.path)};
            p.noted = l.whole && used + p.path_len < sizeof c->paths;
            if (p.noted)
                memcpy(c->paths + used, l.path, p.path_len + 1);
        }
        p.high = l.end;
        for (unsigned i = 0; i < c->nframes; i++) {
            uintptr_t at = in_frame(c, i);

            if (l.exec && at >= l.start && at < l.end &&
                c->module_of[i] == 0) {
                c->module_of[i] = (unsigned char)(c->nmodules + 1);
                p.holds = true;
            }
        }
    }
    close_pending(c, &p, &used);
    cordon__maps_close(&maps);
    for (unsigned i = 0; whole && i < c->nframes; i++)
        if (!(seen & (uint64_t)1 << i) && c->module_of[i] == 0)
            c->module_of[i] = CORDON__CRASH_NO_CODE;
    return 0;
}

#ifdef CORDON_HAVE_DL_ITERATE_PHDR
/* note_object notes one object of the dynamic linker's list when a frame
 * is in one of its loaded segments and its path fits. The executable
 * (named "") and the vDSO (a name without a slash) are left to the
 * worker, which has both where the test had them. */
static int
note_object(struct dl_phdr_info *info, size_t size, void *data)
{
    struct cordon__crash *c = data;
    size_t used = 0, len;
    uintptr_t low = UINTPTR_MAX, high = 0;
    unsigned char mark = (unsigned char)(c->nmodules + 1);
    bool holds = false;

    (void)size;
    if (c->nmodules == CORDON__CRASH_MODULES)
        return 1;
    if (info->dlpi_name == NULL || strchr(info->dlpi_name, '/') == NULL)
        return 0;
    for (unsigned k = 0; k < c->nmodules; k++)
        used += strlen(c->paths + c->modules[k].path) + 1;
    len = strlen(info->dlpi_name);
    if (used + len >= sizeof c->paths)
        return 0;
    for (unsigned s = 0; s < info->dlpi_phnum; s++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[s];
        uintptr_t from, to, align = ph->p_align > 1 ? ph->p_align : 1;

        if (ph->p_type != PT_LOAD)
            continue;
        from = info->dlpi_addr + (ph->p_vaddr & ~(uintptr_t)(align - 1));
        to = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
        low = from < low ? from : low;
        high = to > high ? to : high;
        if (!(ph->p_flags & PF_X))
            continue;
        for (unsigned i = 0; i < c->nframes; i++) {
            uintptr_t at = in_frame(c, i);

            if (c->module_of[i] == 0 && at >= info->dlpi_addr + ph->p_vaddr &&
                at < to) {
                c->module_of[i] = mark;
                holds = true;
            }
        }
    }
    if (holds) {
        memcpy(c->paths + used, info->dlpi_name, len + 1);
        c->modules[c->nmodules].low = low;
        c->modules[c->nmodules].high = high;
        c->modules[c->nmodules].path = (unsigned)used;
        c->nmodules++;
    }
    return 0;
}
#endif

void
cordon__modules_note(struct cordon__crash *c)
{
    int err = from_maps(c);

#ifdef CORDON_HAVE_DL_ITERATE_PHDR
    if (err != 0) {
        (void)dl_iterate_phdr(note_object, c);
        err = 0;
    }
#endif
    c->modules_errno = err;
}
