/* srcds_run stand-in for the left4me VM tests.
 *
 * Behaves like Valve's srcds_run wrapper script and the Left 4 Dead 2
 * dedicated server it starts, where the host side can observe them.
 *
 * The wrapper:
 *   - accepts "-game left4dead2 -port N" plus srcds-style extra arguments
 *     ("+map c1m1_hotel", "+hostname X", ...); exits 2 on bad usage, also
 *     for a port outside 1..65535 or a bad STANDIN_CRASH_AFTER;
 *   - refuses to run unless the current directory contains left4dead2/
 *     (exit 3), proving it was started from the instance's merged directory;
 *   - consumes its own options "-norestart", "-autoupdate" and "-timeout N"
 *     (seconds before a restart, default 10); they still show in args=;
 *   - with -norestart and without -autoupdate runs the server in its own
 *     process, as the script's "exec" does, so systemd sees the server's
 *     exit status or death by signal directly;
 *   - otherwise runs the restart loop: before each start with -autoupdate
 *     it runs the updater, which writes .standin-autoupdate into
 *     $STANDIN_INSTALL_DIR (default /var/lib/left4me/installation) and into
 *     the current directory (failures are printed and ignored); it forks the
 *     server, and when the server ends it waits -timeout seconds and starts
 *     it again, except after exit status 0 without -autoupdate, where it
 *     exits 0 like the script; a crash is therefore invisible to systemd;
 *     on SIGTERM/SIGINT it forwards the signal to the server, waits for it
 *     and exits 0.
 *
 * The server:
 *   - prints a start line (cwd, uid, gid, port, args) and the content of
 *     left4dead2/layer.txt if present (layer-precedence checks);
 *   - writes left4dead2/logs/standin-PORT.log and
 *     left4dead2/cfg/standin-written.cfg, so overlay copy-up happens;
 *   - binds UDP 0.0.0.0:PORT and listens on TCP 0.0.0.0:PORT (RCON), and
 *     binds UDP on "+clientport N", "+tv_port N" and "-sport N" when given,
 *     so two instances on one port conflict (exit 4);
 *   - prints a heartbeat every few seconds;
 *   - prints whether its console (standard input) is blocking;
 *   - reads its console a line at a time and prints each
 *     line read ("standin: console: LINE"); "quit" ends it with status 0
 *     unless left4dead2/IGNORE_QUIT exists; "standin_burst N [BYTES]" prints
 *     N lines of BYTES (default 100) characters at once, then writes N to
 *     left4dead2/burst-done; end of file is
 *     printed once ("standin: console closed") and reading stops;
 *   - has console commands that probe the service's limits, each printing
 *     its result and leaving the server running (NAME is a path relative
 *     to left4dead2/):
 *     "standin_write NAME MB" writes MB MiB of non-zero bytes to NAME in
 *     1 MiB write(2)s and fsyncs it, stopping at the first error, prints
 *     "standin: write NAME: wrote BYTES bytes: ok" or "...: ERROR" (e.g.
 *     "Disk quota exceeded"), keeps the file, then writes BYTES to
 *     NAME.done ("standin: write NAME: cannot write NAME.done: ERROR" and
 *     no NAME.done when that fails);
 *     "standin_alloc MB" mallocs and touches MB MiB in 1 MiB chunks,
 *     printing "standin: alloc: N MiB touched" every 16 MiB and
 *     "standin: alloc: done N MiB", and keeps it (for a MemoryMax= to
 *     OOM-kill the server);
 *     "standin_fork N" forks up to N children that pause (and die with the
 *     server: PR_SET_PDEATHSIG), stopping at the first failure, prints
 *     "standin: fork: N started" or "standin: fork: N started, then ERROR"
 *     (TasksMax=), then kills and reaps them: "standin: fork: children gone";
 *     "standin_setprojid NAME ID" sets NAME's ext4/xfs project id with
 *     FS_IOC_FSSETXATTR: "standin: setprojid NAME ID: ok" or "...: ERROR";
 *     bad arguments print "standin: bad COMMAND \"ARGS\""; SIGTERM cuts a
 *     write (then "...: Interrupted system call") or an alloc short;
 *   - exits 0 promptly on SIGTERM/SIGINT;
 *   - aborts (SIGABRT) when left4dead2/CRASH exists (after the number of
 *     seconds written in it, default 0) or when STANDIN_CRASH_AFTER=SECONDS
 *     is set.
 *
 * Exit status: 0 on SIGTERM, 2 on bad usage, 3 on wrong cwd, 4 on bind
 * failure, 5 on other I/O errors.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/fs.h> /* struct fsxattr, FS_IOC_FSGETXATTR, FS_IOC_FSSETXATTR */

#define GAME "left4dead2"
#define HEARTBEAT_SECONDS 5
#define DEFAULT_RESTART_TIMEOUT 10
#define MAX_SECONDS 86400
#define DEFAULT_INSTALL_DIR "/var/lib/left4me/installation"
#define AUTOUPDATE_MARKER ".standin-autoupdate"

enum port_kind { GAME_PORT, CLIENT_PORT, TV_PORT, STEAM_PORT, PORT_KINDS };

static const char *const port_options[PORT_KINDS] = {
	[GAME_PORT] = "-port",
	[CLIENT_PORT] = "+clientport",
	[TV_PORT] = "+tv_port",
	[STEAM_PORT] = "-sport",
};

struct options {
	const char *game;
	long ports[PORT_KINDS]; /* 0: not given */
	long restart_timeout;
	bool norestart, autoupdate;
	long crash_after; /* STANDIN_CRASH_AFTER, -1: unset */
	char cwd[PATH_MAX];
	int argc;
	char **argv;
};

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void install_stop_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static int parse_number(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t')
		end++;
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---- options ------------------------------------------------------------ */

static int port_kind_of(const char *arg)
{
	for (int k = 0; k < PORT_KINDS; k++)
		if (strcmp(arg, port_options[k]) == 0)
			return k;
	return -1;
}

static bool takes_value(const char *arg)
{
	return strcmp(arg, "-game") == 0 || strcmp(arg, "-timeout") == 0 ||
	       port_kind_of(arg) >= 0;
}

static int set_value(struct options *o, const char *arg, const char *value)
{
	int kind = port_kind_of(arg);

	if (strcmp(arg, "-game") == 0) {
		o->game = value;
	} else if (strcmp(arg, "-timeout") == 0) {
		if (parse_number(value, 0, MAX_SECONDS, &o->restart_timeout) != 0) {
			fprintf(stderr, "standin: bad timeout '%s'\n", value);
			return -1;
		}
	} else if (parse_number(value, 1, 65535, &o->ports[kind]) != 0) {
		fprintf(stderr, "standin: bad port '%s'\n", value);
		return -1;
	}
	return 0;
}

static int parse_crash_env(struct options *o)
{
	const char *env = getenv("STANDIN_CRASH_AFTER");

	if (env && parse_number(env, 0, MAX_SECONDS, &o->crash_after) != 0) {
		fprintf(stderr, "standin: bad STANDIN_CRASH_AFTER '%s'\n", env);
		return -1;
	}
	return 0;
}

/* Everything not handled here (+map, +hostname, -tickrate ...) is accepted. */
static int parse_options(int argc, char **argv, struct options *o)
{
	memset(o, 0, sizeof *o);
	o->restart_timeout = DEFAULT_RESTART_TIMEOUT;
	o->crash_after = -1;
	o->argc = argc;
	o->argv = argv;

	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (strcmp(arg, "-norestart") == 0) {
			o->norestart = true;
		} else if (strcmp(arg, "-autoupdate") == 0) {
			o->autoupdate = true;
		} else if (takes_value(arg)) {
			if (i + 1 == argc) {
				fprintf(stderr, "standin: %s needs a value\n", arg);
				return -1;
			}
			if (set_value(o, arg, argv[++i]) != 0)
				return -1;
		}
	}
	if (!o->game || strcmp(o->game, GAME) != 0 || !o->ports[GAME_PORT]) {
		fprintf(stderr, "usage: srcds_run -game " GAME " -port N [-norestart]"
			" [-autoupdate] [-timeout N] [+clientport N] [+tv_port N]"
			" [-sport N] [args...]\n");
		return -1;
	}
	return parse_crash_env(o);
}

static int check_game_directory(struct options *o)
{
	struct stat st;

	if (!getcwd(o->cwd, sizeof o->cwd)) {
		fprintf(stderr, "standin: getcwd: %s\n", strerror(errno));
		return 5;
	}
	if (stat(GAME, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "standin: %s has no " GAME "/ directory, refusing to start\n",
			o->cwd);
		return 3;
	}
	return 0;
}

/* ---- the server --------------------------------------------------------- */

static void print_start_line(const struct options *o)
{
	printf("standin: start cwd=%s uid=%u gid=%u port=%ld args=", o->cwd,
	       (unsigned)getuid(), (unsigned)getgid(), o->ports[GAME_PORT]);
	for (int i = 1; i < o->argc; i++)
		printf("%s%s", i > 1 ? " " : "", o->argv[i]);
	printf("\n");
	int flags = fcntl(STDIN_FILENO, F_GETFL);
	printf("standin: console is %s\n",
	       flags < 0 ? "closed" : (flags & O_NONBLOCK) ? "non-blocking" : "blocking");
}

static void print_layer_file(void)
{
	char buf[512];
	FILE *f = fopen(GAME "/layer.txt", "r");

	if (!f)
		return;
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = '\0';
		printf("standin: layer.txt: %s\n", buf);
	}
	fclose(f);
}

/* 0, or errno. */
static int append_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return errno;
	fputs(text, f);
	return fclose(f) == 0 ? 0 : errno;
}

static int write_file(const char *path, const char *text)
{
	int err = append_text(path, text);

	if (err)
		fprintf(stderr, "standin: cannot write %s: %s\n", path, strerror(err));
	return err ? -1 : 0;
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "standin: mkdir %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Files written into the game tree, as the real server does. */
static int write_game_files(long port)
{
	char path[64], line[128];

	snprintf(path, sizeof path, GAME "/logs/standin-%ld.log", port);
	snprintf(line, sizeof line, "started pid=%ld uid=%u port=%ld\n",
		 (long)getpid(), (unsigned)getuid(), port);
	if (make_dir(GAME "/logs") != 0 || write_file(path, line) != 0 ||
	    make_dir(GAME "/cfg") != 0 || write_file(GAME "/cfg/standin-written.cfg", line) != 0)
		return 5;
	return 0;
}

/* 0, or the exit status: 4 when the port is taken, 5 on other errors. */
static int open_port(int type, long port, int *fd)
{
	const char *proto = type == SOCK_STREAM ? "tcp" : "udp";
	struct sockaddr_in addr;
	int one = 1;

	*fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (*fd < 0) {
		fprintf(stderr, "standin: socket: %s\n", strerror(errno));
		return 5;
	}
	/* As TCP servers do: a restarted server gets its port back at once. */
	if (type == SOCK_STREAM)
		setsockopt(*fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)port);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(*fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
	    (type == SOCK_STREAM && listen(*fd, SOMAXCONN) != 0)) {
		fprintf(stderr, "standin: cannot bind %s/%ld: %s\n", proto, port, strerror(errno));
		close(*fd);
		return 4;
	}
	printf("standin: bound %s/%ld\n", proto, port);
	return 0;
}

/* Game port on UDP and TCP (RCON), the other given ports on UDP; the
 * sockets stay open until the server exits. */
static int open_ports(const struct options *o)
{
	int fds[PORT_KINDS + 1];
	int rc = open_port(SOCK_DGRAM, o->ports[GAME_PORT], &fds[0]);

	if (rc == 0)
		rc = open_port(SOCK_STREAM, o->ports[GAME_PORT], &fds[1]);
	for (int k = GAME_PORT + 1; rc == 0 && k < PORT_KINDS; k++)
		if (o->ports[k])
			rc = open_port(SOCK_DGRAM, o->ports[k], &fds[k + 1]);
	if (rc == 0)
		printf("standin: listening udp 0.0.0.0:%ld\n", o->ports[GAME_PORT]);
	return rc;
}

/* The earlier of STANDIN_CRASH_AFTER and left4dead2/CRASH, -1: none. */
static long crash_delay(long crash_after_env)
{
	long delay = crash_after_env, from_file = 0;
	FILE *f = fopen(GAME "/CRASH", "r");

	if (f) {
		char line[64];

		if (fgets(line, sizeof line, f) &&
		    parse_number(line, 0, MAX_SECONDS, &from_file) != 0)
			from_file = 0;
		fclose(f);
		if (delay < 0 || from_file < delay)
			delay = from_file;
	}
	if (delay >= 0)
		printf("standin: will crash after %ld s\n", delay);
	return delay;
}

#define CONSOLE_LINE_MAX 4096
#define BURST_MAX 1000000
#define BURST_BYTES_MAX 8000

struct console {
	int fd; /* -1 once closed */
	char buf[CONSOLE_LINE_MAX];
	size_t len;
	bool quit;
};

static void print_burst(const char *args)
{
	long n = 0, bytes = 100;
	char count[32] = "", size[32] = "";

	if (sscanf(args, "%31s %31s", count, size) < 1 ||
	    parse_number(count, 1, BURST_MAX, &n) != 0 ||
	    (size[0] && parse_number(size, 1, BURST_BYTES_MAX, &bytes) != 0)) {
		printf("standin: bad standin_burst \"%s\"\n", args);
		return;
	}
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static char filler[BURST_BYTES_MAX + 1];
	uint32_t x = 2463534242u;

	for (long i = 1; i <= n && !stop_requested; i++) {
		/* xorshift: lines that compression cannot shrink much */
		for (long j = 0; j < bytes; j++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			filler[j] = alphabet[x % 64];
		}
		filler[bytes] = '\0';
		printf("standin: burst %ld/%ld %s\n", i, n, filler);
	}
	printf("standin: burst of %ld lines done\n", n);
	fflush(stdout);
	write_file(GAME "/burst-done", count); /* cheaper to wait for than the log */
}

/* ---- limit probes: standin_write, standin_alloc, standin_fork,
 * standin_setprojid ---------------------------------------------------- */

#define MIB (1024L * 1024L)
#define PROBE_MIB_MAX (1024L * 1024L) /* 1 TiB */
#define FORK_MAX 100000L
#define NAME_MAX_LEN 1024

/* "NAME NUMBER" with NUMBER in min..max; false (and a message) otherwise. */
static bool parse_name_number(const char *command, const char *args, char *name,
			      long min, long max, long *number)
{
	char num[32], extra;

	if (sscanf(args, "%1023s %31s %c", name, num, &extra) != 2 ||
	    parse_number(num, min, max, number) != 0) {
		printf("standin: bad %s \"%s\"\n", command, args);
		return false;
	}
	return true;
}

/* 0, or errno. Writes all of buf unless an error comes first. */
static int write_all(int fd, const char *buf, size_t len, long long *written)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR && !stop_requested)
				continue;
			return errno;
		}
		*written += n;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* 0, or errno; no half-written file is left behind. */
static int write_done_file(const char *path, long long bytes)
{
	char text[32];
	long long unused = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), err;

	if (fd < 0)
		return errno;
	snprintf(text, sizeof text, "%lld\n", bytes);
	err = write_all(fd, text, strlen(text), &unused);
	if (!err && fsync(fd) != 0)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (err)
		unlink(path);
	return err;
}

static void probe_write(const char *args)
{
	char name[NAME_MAX_LEN], path[NAME_MAX_LEN + 32];
	static char chunk[MIB];
	long mib;
	long long written = 0;
	int fd, err = 0;

	if (!parse_name_number("standin_write", args, name, 1, PROBE_MIB_MAX, &mib))
		return;
	snprintf(path, sizeof path, GAME "/%s", name);
	memset(chunk, 'L', sizeof chunk);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		err = errno;
	} else {
		for (long i = 0; i < mib && !err; i++) {
			if (stop_requested)
				err = EINTR;
			else
				err = write_all(fd, chunk, sizeof chunk, &written);
		}
		if (!err && fsync(fd) != 0)
			err = errno;
		if (close(fd) != 0 && !err)
			err = errno;
	}
	printf("standin: write %s: wrote %lld bytes: %s\n", name, written,
	       err ? strerror(err) : "ok");
	fflush(stdout);
	snprintf(path, sizeof path, GAME "/%s.done", name);
	err = write_done_file(path, written);
	if (err)
		printf("standin: write %s: cannot write %s.done: %s\n", name, name, strerror(err));
}

/* The memory is kept until the server exits. */
static void probe_alloc(const char *args)
{
	char num[32], extra;
	long mib, done = 0;

	if (sscanf(args, "%31s %c", num, &extra) != 1 ||
	    parse_number(num, 1, PROBE_MIB_MAX, &mib) != 0) {
		printf("standin: bad standin_alloc \"%s\"\n", args);
		return;
	}
	while (done < mib && !stop_requested) {
		char *p = malloc(MIB);

		if (!p) {
			printf("standin: alloc: %ld MiB touched, then %s\n", done, strerror(errno));
			return;
		}
		memset(p, 0x5a, MIB);
		done++;
		if (done % 16 == 0)
			printf("standin: alloc: %ld MiB touched\n", done);
	}
	printf("standin: alloc: done %ld MiB\n", done);
}

static void probe_fork(const char *args)
{
	char num[32], extra;
	long n, started = 0;
	int err = 0;
	pid_t *pids, parent = getpid();

	if (sscanf(args, "%31s %c", num, &extra) != 1 ||
	    parse_number(num, 1, FORK_MAX, &n) != 0) {
		printf("standin: bad standin_fork \"%s\"\n", args);
		return;
	}
	pids = calloc((size_t)n, sizeof *pids);
	if (!pids) {
		printf("standin: fork: 0 started, then %s\n", strerror(errno));
		return;
	}
	fflush(stdout);
	while (started < n) {
		pid_t pid = fork();

		if (pid == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent) /* the server died before prctl */
				_exit(0);
			for (;;)
				pause();
		}
		if (pid < 0) {
			err = errno;
			break;
		}
		pids[started++] = pid;
	}
	if (err)
		printf("standin: fork: %ld started, then %s\n", started, strerror(err));
	else
		printf("standin: fork: %ld started\n", started);
	for (long i = 0; i < started; i++)
		kill(pids[i], SIGKILL);
	for (long i = 0; i < started; i++)
		while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
			;
	free(pids);
	printf("standin: fork: children gone\n");
}

static void probe_setprojid(const char *args)
{
	char name[NAME_MAX_LEN], path[NAME_MAX_LEN + 32];
	long id;
	struct fsxattr fsx;
	int fd, err = 0;

	if (!parse_name_number("standin_setprojid", args, name, 0, UINT32_MAX, &id))
		return;
	snprintf(path, sizeof path, GAME "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = errno;
	} else {
		if (ioctl(fd, FS_IOC_FSGETXATTR, &fsx) != 0) {
			err = errno;
		} else {
			fsx.fsx_projid = (uint32_t)id;
			if (ioctl(fd, FS_IOC_FSSETXATTR, &fsx) != 0)
				err = errno;
		}
		close(fd);
	}
	printf("standin: setprojid %s %ld: %s\n", name, id, err ? strerror(err) : "ok");
}

/* The arguments when line is COMMAND or "COMMAND ARGS", else NULL. */
static const char *command_args(const char *line, const char *command)
{
	size_t len = strlen(command);

	if (strncmp(line, command, len) != 0 || (line[len] && line[len] != ' '))
		return NULL;
	return line[len] ? line + len + 1 : line + len;
}

static void run_console_line(struct console *c, const char *line)
{
	const char *args;

	printf("standin: console: %s\n", line);
	if (strcmp(line, "quit") == 0) {
		if (access(GAME "/IGNORE_QUIT", F_OK) == 0)
			printf("standin: ignoring quit\n");
		else
			c->quit = true;
	} else if (strncmp(line, "standin_burst ", 14) == 0) {
		print_burst(line + 14);
	} else if ((args = command_args(line, "standin_write"))) {
		probe_write(args);
	} else if ((args = command_args(line, "standin_alloc"))) {
		probe_alloc(args);
	} else if ((args = command_args(line, "standin_fork"))) {
		probe_fork(args);
	} else if ((args = command_args(line, "standin_setprojid"))) {
		probe_setprojid(args);
	}
}

/* Runs every complete line; a line longer than the buffer is cut. */
static void read_console(struct console *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
	char *start, *nl;

	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
		printf("standin: console closed (%s)\n", n == 0 ? "end of file" : strerror(errno));
		c->fd = -1;
		return;
	}
	if (n < 0)
		return;
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	start = c->buf;
	while ((nl = strchr(start, '\n'))) {
		*nl = '\0';
		run_console_line(c, start);
		start = nl + 1;
	}
	c->len -= (size_t)(start - c->buf);
	memmove(c->buf, start, c->len);
	if (c->len == sizeof c->buf - 1) {
		run_console_line(c, c->buf);
		c->len = 0;
	}
}

static void serve_until_stopped(long port, long crash_after)
{
	struct console console = { .fd = STDIN_FILENO };
	time_t started, last_beat;

	started = last_beat = time(NULL);
	while (!stop_requested && !console.quit) {
		struct pollfd p = { .fd = console.fd, .events = POLLIN };
		time_t now;

		/* interrupted early by SIGTERM */
		if (poll(&p, 1, 1000) > 0)
			read_console(&console);
		now = time(NULL);
		if (crash_after >= 0 && now - started >= crash_after) {
			printf("standin: crashing on request\n");
			abort();
		}
		if (now - last_beat >= HEARTBEAT_SECONDS) {
			printf("standin: heartbeat port=%ld uptime=%lds\n", port,
			       (long)(now - started));
			last_beat = now;
		}
	}
	if (console.quit)
		printf("standin: quitting on console quit port=%ld\n", port);
	else
		printf("standin: stopping on signal port=%ld\n", port);
}

/* Returns the server's exit status. */
static int run_server(const struct options *o)
{
	long port = o->ports[GAME_PORT];
	int rc;

	print_start_line(o);
	print_layer_file();
	rc = write_game_files(port);
	if (rc == 0)
		rc = open_ports(o);
	if (rc == 0)
		serve_until_stopped(port, crash_delay(o->crash_after));
	return rc;
}

/* ---- the wrapper -------------------------------------------------------- */

static void write_update_marker(const char *dir)
{
	char path[PATH_MAX + sizeof AUTOUPDATE_MARKER + 1], line[64];
	int err;

	snprintf(path, sizeof path, "%s/" AUTOUPDATE_MARKER, dir);
	snprintf(line, sizeof line, "updated pid=%ld time=%lld\n", (long)getpid(),
		 (long long)time(NULL));
	err = append_text(path, line);
	if (err)
		printf("standin: autoupdate: cannot write %s: %s\n", path, strerror(err));
	else
		printf("standin: autoupdate: wrote %s\n", path);
}

/* Stands in for steamcmd updating the installation; failures don't stop the
 * start. */
static void run_updater(const struct options *o)
{
	const char *install_dir = getenv("STANDIN_INSTALL_DIR");

	if (!install_dir || !*install_dir)
		install_dir = DEFAULT_INSTALL_DIR;
	printf("standin: autoupdate: updating the installation\n");
	write_update_marker(install_dir);
	write_update_marker(o->cwd);
}

static void report_server_end(int status)
{
	if (WIFSIGNALED(status))
		printf("standin: server killed by signal %d\n", WTERMSIG(status));
	else
		printf("standin: server exited with status %d\n", WEXITSTATUS(status));
}

/* The server gets the signal mask the wrapper started with. */
static pid_t start_server(const struct options *o, const sigset_t *server_mask)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sigprocmask(SIG_SETMASK, server_mask, NULL);
		exit(run_server(o));
	}
	if (pid < 0)
		fprintf(stderr, "standin: fork: %s\n", strerror(errno));
	return pid;
}

static bool is_stop_signal(int sig)
{
	return sig == SIGTERM || sig == SIGINT;
}

/* Waits until the server ends (false) or a stop signal arrives, which is
 * forwarded to the server before waiting for it (true). */
static bool wait_for_server(pid_t server, const sigset_t *wrapper_signals, int *status)
{
	for (;;) {
		int sig = sigwaitinfo(wrapper_signals, NULL);

		if (is_stop_signal(sig)) {
			kill(server, sig);
			while (waitpid(server, status, 0) < 0 && errno == EINTR)
				;
			return true;
		}
		if (waitpid(server, status, WNOHANG) == server)
			return false;
	}
}

/* Sleeps, but returns true at once on a stop signal. */
static bool sleep_unless_stopped(long seconds)
{
	struct timespec timeout = { .tv_sec = seconds };
	sigset_t stop_signals;
	int sig;

	sigemptyset(&stop_signals);
	sigaddset(&stop_signals, SIGTERM);
	sigaddset(&stop_signals, SIGINT);
	while ((sig = sigtimedwait(&stop_signals, NULL, &timeout)) < 0 && errno == EINTR)
		;
	return is_stop_signal(sig);
}

/* The script's "while true" loop: the wrapper outlives every crash. The
 * wrapper's signals are blocked and taken with sigwait, so none is lost
 * between the checks. */
static int run_restart_loop(const struct options *o)
{
	sigset_t wrapper_signals, server_mask;

	sigemptyset(&wrapper_signals);
	sigaddset(&wrapper_signals, SIGTERM);
	sigaddset(&wrapper_signals, SIGINT);
	sigaddset(&wrapper_signals, SIGCHLD);
	sigprocmask(SIG_BLOCK, &wrapper_signals, &server_mask);
	printf("standin: restart loop (timeout %ld s)\n", o->restart_timeout);
	if (stop_requested) /* arrived before the signals were blocked */
		return 0;

	for (;;) {
		pid_t server;
		int status;

		if (o->autoupdate)
			run_updater(o);
		server = start_server(o, &server_mask);
		if (server < 0)
			return 5;
		if (wait_for_server(server, &wrapper_signals, &status))
			return 0;
		report_server_end(status);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !o->autoupdate)
			return 0;
		printf("standin: Server restart in %ld seconds\n", o->restart_timeout);
		if (sleep_unless_stopped(o->restart_timeout))
			return 0;
	}
}

int main(int argc, char **argv)
{
	struct options o;
	int rc;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* Under PrivatePIDs=yes this is PID 1 and gets only handled signals. */
	install_stop_handlers();

	if (parse_options(argc, argv, &o) != 0)
		return 2;
	rc = check_game_directory(&o);
	if (rc != 0)
		return rc;

	if (o.norestart && !o.autoupdate) {
		printf("standin: no restart loop, running the server as pid %ld\n",
		       (long)getpid());
		return run_server(&o);
	}
	return run_restart_loop(&o);
}
