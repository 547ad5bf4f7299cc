/*
 * The pod sandbox's first process: it holds the pod's namespaces open, reaps every orphan that
 * the pod's other processes leave to it (it is PID 1 when the pod shares a PID namespace), and
 * exits at once on SIGTERM or SIGINT so stopping a sandbox never waits out a grace period.
 * Built with `gcc -static` so the image holds this one file.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void quit(int sig) {
  (void)sig;
  _exit(0);
}

static void reap(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(void) {
  struct sigaction on_quit = {.sa_handler = quit};
  struct sigaction on_child = {.sa_handler = reap, .sa_flags = SA_NOCLDSTOP | SA_RESTART};
  if (sigaction(SIGINT, &on_quit, NULL) < 0 || sigaction(SIGTERM, &on_quit, NULL) < 0 ||
      sigaction(SIGCHLD, &on_child, NULL) < 0) {
    return 1;
  }
  for (;;) pause();
}
