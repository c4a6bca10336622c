// `secretc serve` over HTTP, on the real binary: the API answers what `vocab` and `check` answer, refuses
// what it must, listens on 127.0.0.1 only, and stops cleanly on SIGTERM and SIGINT.
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "tests/e2e/run.hpp"

using namespace secretc::e2e;
namespace fs = std::filesystem;

namespace {

// A running `secretc serve`: started in the source folder, its port read from the line it prints.
class Server {
 public:
  explicit Server(const std::vector<std::string>& args = {}) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      const int err = ::open(err_.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, STDERR_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      if (::chdir(SECRETC_SOURCE_DIR) != 0) ::_exit(127);
      std::vector<std::string> all{SECRETC_BINARY, "serve"};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(SECRETC_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    // The first line, within a few seconds: `secretc: serving on http://127.0.0.1:PORT/`.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (stdout_.find('\n') == std::string::npos && std::chrono::steady_clock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[256];
      const ssize_t n = ::read(out_, buffer, sizeof buffer);
      if (n <= 0) break;
      stdout_.append(buffer, static_cast<std::size_t>(n));
    }
    const std::string prefix = "secretc: serving on http://127.0.0.1:";
    if (stdout_.starts_with(prefix)) port_ = std::stoi(stdout_.substr(prefix.size()));
  }
  ~Server() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) ::close(out_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] const std::string& first_output() const { return stdout_; }
  [[nodiscard]] httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(20);
    return c;
  }

  // Sends `signal` (0: none) and waits for the exit code (-1: still running after the timeout).
  int stop(int signal, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
    if (signal != 0) ::kill(pid_, signal);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  // Everything it wrote, once stopped.
  [[nodiscard]] std::string all_output() const {
    std::string out = stdout_;
    char buffer[4096];
    for (ssize_t n; (n = ::read(out_, buffer, sizeof buffer)) > 0;) out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }
  [[nodiscard]] std::string errors() const { return read_text(err_.path); }

 private:
  struct ErrFile {
    std::string path;
    ErrFile() {
      std::string tmpl = (fs::temp_directory_path() / "secretc-serve-err-XXXXXX").string();
      const int fd = ::mkstemp(tmpl.data());
      if (fd >= 0) ::close(fd);
      path = tmpl;
    }
    ~ErrFile() { std::remove(path.c_str()); }
  } err_;
  pid_t pid_ = -1;
  int out_ = -1;
  int port_ = 0;
  bool exited_ = false;
  std::string stdout_;
};

// The JSON case of a case file, as the page gets it when it opens one, named as `check` names it.
nlohmann::json json_case_of(httplib::Client& c, const std::string& relative) {
  const std::string text = read_text(fs::path(SECRETC_SOURCE_DIR) / relative);
  const auto r = c.Post("/api/parse-case", text, "text/plain; charset=utf-8");
  REQUIRE(r);
  REQUIRE_MESSAGE(r->status == 200, r->body);
  nlohmann::json j = nlohmann::json::parse(r->body);
  j.erase("notes");
  j["case"] = relative;
  return j;
}

}  // namespace

TEST_CASE("serve prints where it listens and answers the vocabulary of `secretc vocab --format json`") {
  Server server;
  REQUIRE_MESSAGE(server.port() > 0, server.first_output() << server.errors());
  CHECK(server.first_output() == fmt::format("secretc: serving on http://127.0.0.1:{}/\n", server.port()));
  auto c = server.client();
  const auto r = c.Get("/api/vocabulary");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK(r->get_header_value("Content-Type") == "application/json; charset=utf-8");
  const Run vocab = run_secretc("vocab --format json");
  REQUIRE(vocab.code == 0);
  CHECK(nlohmann::json::parse(r->body) == nlohmann::json::parse(vocab.out));

  Server english({"--lang", "en"});
  auto e = english.client();
  const auto re = e.Get("/api/vocabulary");
  REQUIRE(re);
  CHECK(nlohmann::json::parse(re->body) == nlohmann::json::parse(run_secretc("vocab --format json --lang en").out));
  const auto page = e.Get("/");
  REQUIRE(page);
  CHECK(page->body.find("<html lang=\"en\">") != std::string::npos);
}

TEST_CASE("serve --rules serves another rulebase, and refuses one that does not compile") {
  Server mini({"--rules", "tests/data/mini"});
  REQUIRE(mini.port() > 0);
  auto c = mini.client();
  const auto r = c.Get("/api/vocabulary");
  REQUIRE(r);
  CHECK(nlohmann::json::parse(r->body) ==
        nlohmann::json::parse(run_secretc("vocab --rules tests/data/mini --format json").out));
  const nlohmann::json request = json_case_of(c, "tests/data/cases/doctor_judge.fact");
  const auto checked = c.Post("/api/check", request.dump(), "application/json");
  REQUIRE(checked);
  CHECK(nlohmann::json::parse(checked->body) ==
        nlohmann::json::parse(
            run_secretc("check --rules tests/data/mini --format json tests/data/cases/doctor_judge.fact").out));

  Server broken({"--rules", "tests/data/cases/doctor_judge.fact"});
  CHECK(broken.port() == 0);
  CHECK(broken.stop(0) == 1);
  CHECK(!broken.errors().empty());
}

TEST_CASE("POST /api/check answers exactly what `secretc check --format json` answers, for every example") {
  Server server;
  REQUIRE(server.port() > 0);
  auto c = server.client();
  const std::vector<fs::path> all = example_cases();
  REQUIRE(all.size() >= 20);
  for (const fs::path& p : all) {
    const std::string relative = "examples/" + p.filename().string();
    SUBCASE(relative.c_str()) {
      const nlohmann::json request = json_case_of(c, relative);
      const auto r = c.Post("/api/check", request.dump(), "application/json");
      REQUIRE(r);
      REQUIRE_MESSAGE(r->status == 200, r->body);
      const Run check = run_secretc("check --format json " + quote(relative));
      REQUIRE(check.code == 0);
      CHECK(nlohmann::json::parse(r->body) == nlohmann::json::parse(check.out));
    }
  }
}

TEST_CASE("the case file the API writes is checked by `secretc check` as the case it came from") {
  Server server;
  REQUIRE(server.port() > 0);
  auto c = server.client();
  const std::string relative = "examples/psychiatre_madame_l.fact";
  const nlohmann::json request = json_case_of(c, relative);
  const auto file = c.Post("/api/case-file", request.dump(), "application/json");
  REQUIRE(file);
  REQUIRE(file->status == 200);
  TempDir tmp;
  write_text(tmp / "back.fact", file->body);
  const Run again = run_secretc("check --format json " + quote((tmp / "back.fact").string()));
  const Run original = run_secretc("check --format json " + quote(relative));
  REQUIRE_MESSAGE(again.code == 0, again.err);
  auto a = nlohmann::json::parse(again.out);
  auto b = nlohmann::json::parse(original.out);
  a.erase("case");
  b.erase("case");
  CHECK(a == b);
}

TEST_CASE("bad JSON and bad facts get 400 with located messages") {
  Server server;
  REQUIRE(server.port() > 0);
  auto c = server.client();
  const auto syntax = c.Post("/api/check", "{\"facts\": {\n \"victime.mineur\": oui}}", "application/json");
  REQUIRE(syntax);
  CHECK(syntax->status == 400);
  CHECK(syntax->get_header_value("Content-Type") == "application/json; charset=utf-8");
  const auto s = nlohmann::json::parse(syntax->body);
  CHECK(s["errors"][0]["line"] == 2);
  CHECK(s["errors"][0]["column"] == 20);
  CHECK(s["errors"][0]["message"].get<std::string>().starts_with("ce n'est pas du JSON"));

  const auto facts = c.Post(
      "/api/check", R"({"facts": {"confident.fonction": "psychologe", "cas.date": "2024-13-01"}})", "application/json");
  REQUIRE(facts);
  CHECK(facts->status == 400);
  const auto f = nlohmann::json::parse(facts->body);
  REQUIRE(f["errors"].size() == 2);
  CHECK(f["errors"][0]["path"] == "/facts/confident.fonction");
  CHECK(f["errors"][0]["message"] == "`psychologe` n'est pas un choix de `fonction`");
  CHECK(f["errors"][0]["hint"] == "vouliez-vous dire `psychologue` ?");
  CHECK(f["errors"][1]["path"] == "/facts/cas.date");

  const auto file =
      c.Post("/api/parse-case?name=mon%20dossier.fact", "cas.date = 2024-05-01\nsituation = ?? \n", "text/plain");
  REQUIRE(file);
  CHECK(file->status == 400);
  const auto p = nlohmann::json::parse(file->body);
  CHECK(p["errors"][0]["file"] == "mon dossier.fact");
  CHECK(p["errors"][0]["line"] == 2);
  CHECK(p["text"].get<std::string>().starts_with("mon dossier.fact:2:"));
}

TEST_CASE("a body over 1 MiB gets 413, with or without a length; unknown paths 404, wrong methods 405") {
  Server server;
  REQUIRE(server.port() > 0);
  auto c = server.client();
  const std::string big(1024 * 1024 + 1, ' ');
  const auto sized = c.Post("/api/check", big, "application/json");
  REQUIRE(sized);
  CHECK(sized->status == 413);
  CHECK(nlohmann::json::parse(sized->body)["errors"][0]["message"].get<std::string>().find("1048576") !=
        std::string::npos);
  // Chunked: no length to refuse up front, the server counts.
  std::size_t sent = 0;
  const auto chunked = c.Post(
      "/api/check",
      [&](std::size_t, httplib::DataSink& sink) {
        const std::string chunk(64 * 1024, ' ');
        if (sent >= big.size()) {
          sink.done();
        } else {
          sink.write(chunk.data(), chunk.size());
          sent += chunk.size();
        }
        return true;
      },
      "application/json");
  REQUIRE(chunked);
  CHECK(chunked->status == 413);
  // Just under the limit is read (and is no JSON).
  const auto under = c.Post("/api/check", std::string(1024 * 1024, ' '), "application/json");
  REQUIRE(under);
  CHECK(under->status == 400);

  const auto missing = c.Get("/api/nothing");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  const auto wrong = c.Get("/api/check");
  REQUIRE(wrong);
  CHECK(wrong->status == 405);
  CHECK(wrong->get_header_value("Allow") == "POST");
}

TEST_CASE("serve listens on 127.0.0.1 only, and answers only requests addressed to it") {
  Server server;
  REQUIRE(server.port() > 0);
  // Another loopback address reaches a socket bound to any address, never one bound to 127.0.0.1.
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(s >= 0);
  sockaddr_in other{};
  other.sin_family = AF_INET;
  other.sin_port = htons(static_cast<std::uint16_t>(server.port()));
  ::inet_pton(AF_INET, "127.0.0.2", &other.sin_addr);
  CHECK(::connect(s, reinterpret_cast<sockaddr*>(&other), sizeof other) != 0);
  ::close(s);
  // The kernel's table of listening sockets says the same: local address 127.0.0.1.
  const std::string tcp = read_text("/proc/net/tcp");
  const std::string wanted = fmt::format("0100007F:{:04X} 00000000:0000 0A", server.port());
  CHECK(tcp.find(wanted) != std::string::npos);
  CHECK(tcp.find(fmt::format("00000000:{:04X} 00000000:0000 0A", server.port())) == std::string::npos);

  // A page of another site whose name points at 127.0.0.1 (DNS rebinding) gets nothing.
  auto c = server.client();
  const auto rebound = c.Get("/api/vocabulary", {{"Host", fmt::format("evil.example:{}", server.port())}});
  REQUIRE(rebound);
  CHECK(rebound->status == 403);
}

TEST_CASE("every answer forbids storing it and loading anything from elsewhere") {
  Server server;
  REQUIRE(server.port() > 0);
  auto c = server.client();
  for (const char* path : {"/", "/app.js", "/style.css", "/api/vocabulary", "/nothing"}) {
    const auto r = c.Get(path);
    REQUIRE(r);
    INFO(path);
    CHECK(r->get_header_value("Cache-Control") == "no-store");
    CHECK(r->get_header_value("Content-Security-Policy").starts_with("default-src 'self'"));
    CHECK(r->get_header_value("X-Content-Type-Options") == "nosniff");
  }
  const auto page = c.Get("/");
  REQUIRE(page);
  CHECK(page->status == 200);
  CHECK(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  CHECK(page->body.find("<html lang=\"fr\">") != std::string::npos);
}

TEST_CASE("concurrent requests each get their own answer") {
  Server server;
  REQUIRE(server.port() > 0);
  std::vector<nlohmann::json> requests, expected;
  {
    auto c = server.client();
    for (const char* e : {"examples/psychiatre_madame_l.fact", "examples/mediateur_tribunal_procedure_inconnue.fact",
                          "examples/voisin.fact", "examples/cpas_terrorisme_2018.fact"}) {
      requests.push_back(json_case_of(c, e));
      const auto r = c.Post("/api/check", requests.back().dump(), "application/json");
      REQUIRE(r);
      expected.push_back(nlohmann::json::parse(r->body));
    }
  }
  std::atomic<int> wrong = 0, done = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      auto c = server.client();
      for (int i = 0; i < 25; ++i) {
        const std::size_t k = static_cast<std::size_t>(t + i) % requests.size();
        const auto r = c.Post("/api/check", requests[k].dump(), "application/json");
        if (!r || r->status != 200 || nlohmann::json::parse(r->body) != expected[k]) ++wrong;
        ++done;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(done == 200);
  CHECK(wrong == 0);
}

TEST_CASE("serve stops cleanly on SIGTERM and on SIGINT, having written nothing of the cases") {
  for (const int signal : {SIGTERM, SIGINT}) {
    Server server;
    REQUIRE(server.port() > 0);
    // A connection kept open does not hold the server up.
    auto c = server.client();
    c.set_keep_alive(true);
    const auto r =
        c.Post("/api/check", R"({"facts": {"cas.titre": "Madame SECRETE", "confident.fonction": "medecin"}})",
               "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(c.Get("/api/vocabulary"));
    const auto before = std::chrono::steady_clock::now();
    CHECK(server.stop(signal) == 0);
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(3));
    CHECK(server.all_output() == fmt::format("secretc: serving on http://127.0.0.1:{}/\n", server.port()));
    CHECK(server.errors().empty());
  }
}

TEST_CASE("a port already taken is an error, not a silent other port") {
  Server first;
  REQUIRE(first.port() > 0);
  Server second({"--port", std::to_string(first.port())});
  CHECK(second.port() == 0);
  CHECK(second.stop(0) == 1);
  CHECK(second.errors().find(fmt::format("cannot listen on 127.0.0.1:{}", first.port())) != std::string::npos);
  const Run bad = run_secretc("serve --port 70000");
  CHECK(bad.code == 2);
}
