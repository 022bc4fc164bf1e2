// SPDX-License-Identifier: MIT
// modules.c — the crash handler's note of which file (executable,
// library) holds each frame it captured, and where the test process had
// it mapped, read from /proc/self/maps (maps.c): its worker names the
// frames from that (symbolize.c), since a library the test loaded itself
// is not mapped in the worker, and may have been replaced there by
// another. Runs in the crash handler (backtrace.c), so it allocates
// nothing and calls only what a handler may: open(), read(), close().
#include "testproc/testproc.h"

#include <string.h>

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

/* cordon__modules_note reads this process's /proc/self/maps: the
 * portions of one file (by device and inode) are one module, from its
 * first mapping's start to its last one's end, as libdwfl's
 * dwfl_linux_proc_report reads them. */
void
cordon__modules_note(struct cordon__crash *c)
{
    struct cordon__maps maps;
    struct cordon__maps_line l;
    struct pending p = {0};
    size_t used = 0;

    c->nmodules = 0;
    memset(c->module_of, 0, sizeof c->module_of);
    if (cordon__maps_open(&maps) == -1)
        return;
    while (cordon__maps_next(&maps, &l)) {
        if (!l.file)
            continue;
        if (!p.open || l.device != p.device || l.inode != p.inode) {
            close_pending(c, &p, &used);
            if (c->nmodules == CORDON__CRASH_MODULES)
                break;
            p = (struct pending){.open = true, .device = l.device,
                                 .inode = l.inode, .low = l.start,
                                 .path_len = strlen(l.path)};
            p.noted = l.whole && used + p.path_len < sizeof c->paths;
            if (p.noted)
                memcpy(c->paths + used, l.path, p.path_len + 1);
        }
        p.high = l.end;
        for (unsigned i = 0; i < c->nframes; i++) {
            /* A return address is just after its call, which may be a
             * mapping's last instruction. */
            uintptr_t at = c->frames[i] - (i > 0 && c->frames[i] > 0);

            if (at >= l.start && at < l.end && c->module_of[i] == 0) {
                c->module_of[i] = (unsigned char)(c->nmodules + 1);
                p.holds = true;
            }
        }
    }
    close_pending(c, &p, &used);
    cordon__maps_close(&maps);
}
