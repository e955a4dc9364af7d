/* SPDX-License-Identifier: MIT */
/* Scope-bound sd-bus and sd-event references. */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#define _cleanup_(f) __attribute__((cleanup(f)))
