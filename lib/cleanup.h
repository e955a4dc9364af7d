/* SPDX-License-Identifier: MIT */
/* Scope-bound release of resources with GCC's cleanup attribute. */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <dirent.h>

static inline void l4m_freep(void *p) { free(*(void **)p); }
static inline void l4m_closep(int *fd) { if (*fd >= 0) close(*fd); }
static inline void l4m_fclosep(FILE **f) { if (*f) fclose(*f); }
static inline void l4m_closedirp(DIR **d) { if (*d) closedir(*d); }

#define _cleanup_free_ __attribute__((cleanup(l4m_freep)))
#define _cleanup_close_ __attribute__((cleanup(l4m_closep)))
#define _cleanup_fclose_ __attribute__((cleanup(l4m_fclosep)))
#define _cleanup_closedir_ __attribute__((cleanup(l4m_closedirp)))

/* Hand a resource out of a cleanup-guarded variable. */
#define TAKE_PTR(p) ({ __typeof__(p) _t = (p); (p) = NULL; _t; })
#define TAKE_FD(fd) ({ int _t = (fd); (fd) = -1; _t; })
