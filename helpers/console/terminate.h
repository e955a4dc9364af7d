/* SPDX-License-Identifier: MIT */
/* SIGTERM to a game server's processes, sent by its own stop. */
#pragma once

#include <sys/types.h>

/* Sends SIGTERM to the main process (main_pidfd, whose PID is main_pid) and,
 * when it is the init of a PID namespace other than ours (PrivatePIDs=yes),
 * to every process in that namespace: the processes systemd's SIGTERM would
 * reach. Returns the number of processes signalled, or a negative errno when
 * the main process could not be; failures with the others are logged. */
int terminate_server(int main_pidfd, pid_t main_pid);
