// `secretc serve`: a page in the browser for practitioners, and the JSON API it is built on
// (docs/case-files.md, "The HTTP API"). CaseService answers requests without any network: the HTTP
// layer (run_serve) only carries them, so that tests can call every endpoint directly.
#pragma once

#include <cstddef>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.hpp"
#include "cli/report.hpp"
#include "runtime/program.hpp"

namespace secretc {

struct ServeOptions {
  std::vector<std::string> rules;  // rule sources or one .secbc; empty: the embedded rulebase
  int port = 0;                    // 0: any free port
  std::string lang = "fr";         // fr | en: the page, the vocabulary's texts and the messages
};

// The page's files (web/), embedded in the binary at build time by cmake/embed_web.cmake.
struct WebAsset {
  std::string_view path;  // "/index.html", "/app.js", …
  std::string_view bytes;
};
std::span<const WebAsset> web_assets();

// A request's body may hold at most this many bytes: a case is a few hundred.
inline constexpr std::size_t kMaxRequestBytes = std::size_t{1} << 20U;

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::string allow;  // for 405: the method the path answers
};

class CaseService {
 public:
  // `program` must outlive the service; it is only read, by any number of threads at once.
  CaseService(const Program& program, ReportLang lang);

  // One request: `name` is the `name` query parameter (the file name of `POST /api/parse-case`).
  [[nodiscard]] HttpReply handle(std::string_view method, std::string_view path, std::string_view body,
                                 std::string_view name = {}) const;

  // GET /api/vocabulary: the object of `secretc vocab --format json`.
  [[nodiscard]] HttpReply vocabulary() const;
  // POST /api/check: a JSON case → exactly the object of `secretc check --format json`.
  [[nodiscard]] HttpReply check(std::string_view body) const;
  // POST /api/answer: what the page shows — {"report": the check object, "questions": the open questions
  // ranked (runtime/explain.hpp open_questions), "texts": the rules' texts in the page's language, "notes"}.
  [[nodiscard]] HttpReply answer(std::string_view body) const;
  // POST /api/case-file: a JSON case → the text of its `.fact` file.
  [[nodiscard]] HttpReply case_file(std::string_view body) const;
  // POST /api/parse-case: the text of a `.fact` file → its JSON case, or its errors as `file:line:col`.
  [[nodiscard]] HttpReply parse_case_file(std::string_view text, std::string_view name) const;
  // The answer to a request whose body exceeds kMaxRequestBytes.
  [[nodiscard]] HttpReply too_large() const;
  // The answer to a form (multipart) body.
  [[nodiscard]] HttpReply unsupported_media_type() const;
  // The answer to a request addressed to another host than 127.0.0.1 or localhost (DNS rebinding).
  [[nodiscard]] HttpReply wrong_host() const;

 private:
  [[nodiscard]] HttpReply error(int status, const Message& m) const;
  [[nodiscard]] TextLang text_lang() const;

  const Program& program_;
  ReportLang lang_;
  std::string vocabulary_;                  // the vocabulary, rendered once
  std::map<std::string, std::string> doc_;  // the rulebase's website (`secretc doc`), served under /doc/
};

// Whether a request's Host header names this server: 127.0.0.1 or localhost, on its port.
bool host_allowed(std::string_view host, int port);

// Serves the page on 127.0.0.1 until SIGINT or SIGTERM (then exits 0). Prints
// `secretc: serving on http://127.0.0.1:PORT/` on standard output as soon as it listens.
int run_serve(const ServeOptions& options, std::string_view embedded, Output& o);

}  // namespace secretc
