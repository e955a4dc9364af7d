/* srcds_run stand-in for the left4me VM tests.
 *
 * Behaves like the real Left 4 Dead 2 dedicated server where the host side
 * can observe it:
 *   - accepts "-game left4dead2 -port N" plus srcds-style extra arguments
 *     ("+map c1m1_hotel", "+hostname X", ...);
 *   - refuses to run unless the current directory contains left4dead2/,
 *     proving it was started from the instance's merged directory;
 *   - prints a start line (cwd, uid, gid, port, args) and the content of
 *     left4dead2/layer.txt if present (layer-precedence checks);
 *   - writes left4dead2/logs/standin-PORT.log and
 *     left4dead2/cfg/standin-written.cfg, so overlay copy-up happens;
 *   - binds UDP 0.0.0.0:PORT, so two instances on one port conflict;
 *   - prints a heartbeat every few seconds;
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
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GAME "left4dead2"
#define HEARTBEAT_SECONDS 5

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int parse_seconds(const char *s, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ' || *end == '\n' || *end == '\t')
		end++;
	if (errno || end == s || *end || v < 0 || v > 86400)
		return -1;
	*out = v;
	return 0;
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

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	if (!f) {
		fprintf(stderr, "standin: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fputs(text, f);
	if (fclose(f) != 0) {
		fprintf(stderr, "standin: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *game = NULL;
	long port = -1, crash_after = -1;
	char cwd[PATH_MAX], path[PATH_MAX + 64], line[256];
	struct stat st;
	struct sockaddr_in addr;
	struct sigaction sa;
	time_t started, last_beat;
	int fd;

	setvbuf(stdout, NULL, _IOLBF, 0);

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-game") == 0 && i + 1 < argc) {
			game = argv[++i];
		} else if (strcmp(argv[i], "-port") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			port = strtol(argv[++i], &end, 10);
			if (errno || *end || port < 1 || port > 65535) {
				fprintf(stderr, "standin: bad port '%s'\n", argv[i]);
				return 2;
			}
		}
		/* Everything else (+map, +hostname, -tickrate ...) is accepted. */
	}
	if (!game || strcmp(game, GAME) != 0 || port < 0) {
		fprintf(stderr, "usage: srcds_run -game " GAME " -port N [args...]\n");
		return 2;
	}

	if (!getcwd(cwd, sizeof cwd)) {
		fprintf(stderr, "standin: getcwd: %s\n", strerror(errno));
		return 5;
	}
	if (stat(GAME, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "standin: %s has no " GAME "/ directory, refusing to start\n", cwd);
		return 3;
	}

	printf("standin: start cwd=%s uid=%u gid=%u port=%ld args=", cwd,
	       (unsigned)getuid(), (unsigned)getgid(), port);
	for (int i = 1; i < argc; i++)
		printf("%s%s", i > 1 ? " " : "", argv[i]);
	printf("\n");
	print_layer_file();

	/* Files written into the game tree, as the real server does. */
	if (mkdir(GAME "/logs", 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "standin: mkdir " GAME "/logs: %s\n", strerror(errno));
		return 5;
	}
	snprintf(path, sizeof path, GAME "/logs/standin-%ld.log", port);
	snprintf(line, sizeof line, "started pid=%ld uid=%u port=%ld\n",
		 (long)getpid(), (unsigned)getuid(), port);
	if (write_file(path, line) != 0)
		return 5;
	if (mkdir(GAME "/cfg", 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "standin: mkdir " GAME "/cfg: %s\n", strerror(errno));
		return 5;
	}
	if (write_file(GAME "/cfg/standin-written.cfg", line) != 0)
		return 5;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "standin: socket: %s\n", strerror(errno));
		return 5;
	}
	memset(&addr, 0, sizeof addr);
	addr.sin_family = AF_INET;
	addr.sin_port = htons((unsigned short)port);
	addr.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
		fprintf(stderr, "standin: bind udp 0.0.0.0:%ld: %s\n", port, strerror(errno));
		return 4;
	}
	printf("standin: listening udp 0.0.0.0:%ld\n", port);

	{
		const char *env = getenv("STANDIN_CRASH_AFTER");
		FILE *f;

		if (env && parse_seconds(env, &crash_after) != 0) {
			fprintf(stderr, "standin: bad STANDIN_CRASH_AFTER '%s'\n", env);
			return 2;
		}
		f = fopen(GAME "/CRASH", "r");
		if (f) {
			long v = 0;
			if (fgets(line, sizeof line, f) && parse_seconds(line, &v) != 0)
				v = 0;
			fclose(f);
			if (crash_after < 0 || v < crash_after)
				crash_after = v;
		}
		if (crash_after >= 0)
			printf("standin: will crash after %ld s\n", crash_after);
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	started = last_beat = time(NULL);
	while (!stop_requested) {
		time_t now;

		sleep(1); /* interrupted early by SIGTERM */
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
	printf("standin: stopping on signal port=%ld\n", port);
	close(fd);
	return 0;
}
