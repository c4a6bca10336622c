// The yardstick of cold start (bench/run.sh): a C++ program that starts, prints a line and exits, built with
// the same compiler and flags as secretc.
#include <cstdio>

int main() {
  std::puts("trivial 0");
  return 0;
}
