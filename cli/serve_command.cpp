// `secretc serve`: the API (CaseService) and its HTTP carrier (run_serve, cpp-httplib). Nothing a case
// says is logged, stored or sent anywhere: each request is answered from its own body and forgotten.
#include "cli/serve_command.hpp"

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <variant>

#include <fmt/format.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "cli/doc_command.hpp"
#include "cli/inputs.hpp"
#include "cli/json_case.hpp"
#include "cli/vocab_command.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/explain.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace {

using ojson = nlohmann::ordered_json;

// Text a request brought (a file name, a case's words) may be any bytes: never let it stop a reply.
std::string to_text(const ojson& j) {
  return j.dump(2, ' ', false, ojson::error_handler_t::replace) + "\n";
}

HttpReply json_reply(int status, const ojson& j) {
  return HttpReply{status, "application/json; charset=utf-8", to_text(j), {}};
}

std::string_view content_type_of(std::string_view path) {
  const auto ends = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

const char* rank_word(QuestionRank r) {
  switch (r) {
    case QuestionRank::Verdict:
      return "verdict";
    case QuestionRank::Answer:
      return "answer";
    case QuestionRank::Limits:
      return "limits";
    case QuestionRank::Together:
      return "together";
  }
  return "together";
}

// A value as a case file writes it (docs/case-files.md §1), or nothing when a case file cannot hold it.
std::optional<std::string> fact_line_value(const Program& p, const BoundCase& bound, std::uint32_t fact,
                                           TextLang lang) {
  const Value& v = bound.facts[fact];
  if (!v.known) return "?";
  const Type t = p.facts[fact].type;
  if (t.kind == TypeKind::Bool) {
    if (lang == TextLang::French) return v.payload != 0 ? "oui" : "non";
    return v.payload != 0 ? "true" : "false";
  }
  std::string text = bound.format(p, fact);
  if (t.kind != TypeKind::String && t.kind != TypeKind::Article) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\t') return std::nullopt;  // one line per fact
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

CaseService::CaseService(const Program& program, ReportLang lang)
    : program_(program),
      lang_(lang),
      vocabulary_(to_text(vocabulary_json(program, lang))),
      doc_(doc_pages(program, nullptr)) {}

TextLang CaseService::text_lang() const {
  return lang_ == ReportLang::English ? TextLang::English : TextLang::French;
}

HttpReply CaseService::error(int status, const Message& m) const {
  return json_reply(status, ojson{{"errors", ojson::array({ojson{{"message", message_text(m, text_lang())}}})}});
}

HttpReply CaseService::too_large() const {
  return error(413, msg(Msg::ServeTooLarge, kMaxRequestBytes));
}

HttpReply CaseService::unsupported_media_type() const {
  return error(415, msg(Msg::ServeMediaType));
}

HttpReply CaseService::wrong_host() const {
  return error(403, msg(Msg::ServeHost));
}

HttpReply CaseService::vocabulary() const {
  return HttpReply{200, "application/json; charset=utf-8", vocabulary_, {}};
}

HttpReply CaseService::check(std::string_view body) const {
  const JsonCase c = read_json_case(program_, body, today_days());
  if (!c.ok()) return json_reply(400, problems_json(c.problems, text_lang()));
  Machine machine(program_);  // the program is shared, machines are not
  const CaseAnalysis e = analyse_case(machine, c.bound);
  return json_reply(
      200, render_json(CaseReport{c.name, &program_, &c.bound, &e.result, &e.dependences, &e.near_misses}, lang_));
}

HttpReply CaseService::answer(std::string_view body) const {
  const JsonCase c = read_json_case(program_, body, today_days());
  const TextLang lang = text_lang();
  if (!c.ok()) return json_reply(400, problems_json(c.problems, lang));
  Machine machine(program_);  // the program is shared, machines are not
  const CaseAnalysis e = analyse_case(machine, c.bound);
  const Result& res = e.result;
  ojson out;
  out["report"] = render_json(CaseReport{c.name, &program_, &c.bound, &res, &e.dependences, &e.near_misses}, lang_);
  ojson questions = ojson::array();
  for (const OpenQuestion& q : open_questions(program_, res, e.dependences)) {
    questions.push_back({{"fact", program_.facts[q.fact].name},
                         {"rank", rank_word(q.rank)},
                         {"answers_settling_verdict", q.answers_settling_verdict}});
  }
  out["questions"] = questions;
  // The report's texts are the rulebase's as written; the page shows them in its own language where the
  // rulebase translates them. Every rule the report can name is one whose condition is not false.
  ojson rules = ojson::object();
  for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
    if (res.conditions[r] == Truth::False) continue;
    const RuleInfo& rule = program_.rules[r];
    ojson t{{"title", program_.rule_title(r, lang)},
            {"cite", rule.cite},
            {"text", program_.rule_because(r, lang)},
            {"note", program_.rule_note(r, lang)}};
    t["valid_from"] = rule.valid_from ? ojson(format_date(*rule.valid_from)) : ojson();
    // `valable … au D`: D is the first day the rule no longer applies; a reader wants the last one it does.
    t["last_day"] = rule.valid_until ? ojson(format_date(*rule.valid_until - 1)) : ojson();
    t["validity_reason"] = program_.rule_validity_reason(r, lang);
    rules[rule.name] = t;
  }
  ojson provisos = ojson::array();
  for (const std::uint32_t k : res.provisos) {
    std::size_t base = 0;
    for (const RuleInfo& rule : program_.rules) {
      if (k < base + rule.provisos.size()) {
        const ProvisoInfo& p = rule.provisos[k - base];
        provisos.push_back(text_in(lang, rule.lang, p.text, p.text_tr));
        break;
      }
      base += rule.provisos.size();
    }
  }
  out["texts"] = {{"rules", rules}, {"provisos", provisos}};
  out["notes"] = problems_json(c.problems, lang)["notes"];
  return json_reply(200, out);
}

HttpReply CaseService::case_file(std::string_view body) const {
  const JsonCase c = read_json_case(program_, body, today_days());
  const TextLang lang = text_lang();
  if (!c.ok()) return json_reply(400, problems_json(c.problems, lang));
  std::string text =
      fmt::format(fmt::runtime(lang == TextLang::French ? "# Dossier préparé avec secretc serve ({} {})\n"
                                                        : "# Case prepared with secretc serve ({} {})\n"),
                  program_.name, program_.version);
  std::vector<JsonCaseProblem> problems;
  for (const CaseEntry& e : c.entries) {
    const std::uint32_t fact = *program_.find_fact(e.name);  // bound without error: every name is a fact
    const std::optional<std::string> value = fact_line_value(program_, c.bound, fact, lang);
    if (!value) {
      problems.push_back(
          JsonCaseProblem{Severity::Error, "/facts/" + e.name, 0, 0, msg(Msg::JsonLineBreak, e.name), {}});
      continue;
    }
    text += fmt::format("{} = {}\n", e.name, *value);
  }
  if (!problems.empty()) return json_reply(400, problems_json(problems, lang));
  return HttpReply{200, "text/plain; charset=utf-8", std::move(text), {}};
}

HttpReply CaseService::parse_case_file(std::string_view text, std::string_view name) const {
  SourceSet sources;
  const std::uint32_t file =
      sources.add(name.empty() ? std::string("case.fact") : std::string(name), std::string(text));
  Diagnostics diags;
  const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
  BoundCase bound;
  if (!diags.has_errors()) bound = bind_case(program_, entries, today_days(), diags);
  const TextLang lang = text_lang();
  ojson problems = diagnostics_json(diags, sources, lang);
  if (diags.has_errors()) {
    problems["text"] = render_all(diags, sources, lang);
    return json_reply(400, problems);
  }
  ojson out{{"case", sources.name(file)}};
  out["facts"] = case_json(program_, bound, entries)["facts"];
  out["notes"] = problems["notes"];
  return json_reply(200, out);
}

HttpReply CaseService::handle(std::string_view method, std::string_view path, std::string_view body,
                              std::string_view name) const {
  const bool get = method == "GET" || method == "HEAD";
  if (path == "/api/vocabulary") {
    if (get) return vocabulary();
    HttpReply r = error(405, msg(Msg::ServeMethod, path, method, "GET"));
    r.allow = "GET";
    return r;
  }
  if (path == "/api/check" || path == "/api/answer" || path == "/api/case-file" || path == "/api/parse-case") {
    if (method != "POST") {
      HttpReply r = error(405, msg(Msg::ServeMethod, path, method, "POST"));
      r.allow = "POST";
      return r;
    }
    if (path == "/api/check") return check(body);
    if (path == "/api/answer") return answer(body);
    if (path == "/api/case-file") return case_file(body);
    return parse_case_file(body, name);
  }
  if (get && path.starts_with("/doc/")) {
    // The rulebase's website, as `secretc doc` writes it (its links are relative).
    const std::string_view file = path.size() == 5 ? std::string_view("index.html") : path.substr(5);
    if (const auto it = doc_.find(std::string(file)); it != doc_.end())
      return HttpReply{200, "text/html; charset=utf-8", it->second, {}};
  }
  if (get) {
    const std::string_view file = path == "/" ? std::string_view("/index.html") : path;
    for (const WebAsset& a : web_assets()) {
      if (a.path != file) continue;
      HttpReply r{200, std::string(content_type_of(file)), std::string(a.bytes), {}};
      // The page reads its language from <html lang>: French as written, English when asked.
      if (file == "/index.html" && lang_ == ReportLang::English) {
        if (const std::size_t at = r.body.find("<html lang=\"fr\">"); at != std::string::npos)
          r.body.replace(at, 16, "<html lang=\"en\">");
      }
      return r;
    }
  }
  return error(404, msg(Msg::ServeNotFound, path));
}

bool host_allowed(std::string_view host, int port) {
  const std::string p = fmt::format(":{}", port);
  return host == "127.0.0.1" + p || host == "localhost" + p;
}

namespace {

// What every answer says to the browser: store nothing, load nothing from elsewhere, be framed by nobody.
httplib::Headers security_headers() {
  return {{"Cache-Control", "no-store"},
          {"Content-Security-Policy",
           "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"},
          {"Cross-Origin-Opener-Policy", "same-origin"},
          {"Cross-Origin-Resource-Policy", "same-origin"}};
}

void send(httplib::Response& res, const HttpReply& reply) {
  res.status = reply.status;
  if (!reply.allow.empty()) res.set_header("Allow", reply.allow);
  res.set_content(reply.body, reply.content_type.c_str());
}

}  // namespace

int run_serve(const ServeOptions& options, std::string_view embedded, Output& o) {
  const TextLang lang = options.lang == "en" ? TextLang::English : TextLang::French;
  const std::optional<Program> program = load_rules(options.rules, embedded, o.err, lang);
  if (!program) return 1;
  const CaseService service(*program, options.lang == "en" ? ReportLang::English : ReportLang::French);

  // SIGINT and SIGTERM are blocked in every thread — the server's workers inherit the mask — and taken by
  // one thread with sigwait, which stops the server: no work is done inside a signal handler.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);

  httplib::Server server;
  server.set_payload_max_length(kMaxRequestBytes);
  // A browser keeps connections open; a short keep-alive lets the server stop within a second.
  server.set_keep_alive_timeout(1);
  server.set_read_timeout(10);
  server.set_default_headers(security_headers());
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content("{\"errors\": [{\"message\": \"internal error\"}]}\n", "application/json; charset=utf-8");
  });

  // SO_REUSEADDR only, for a restart while old connections linger: the library's default adds
  // SO_REUSEPORT, with which a second server on a taken port would share it silently.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port("127.0.0.1");
  } else if (!server.bind_to_port("127.0.0.1", port)) {
    port = -1;
  }
  if (port <= 0) {
    o.err +=
        fmt::format("secretc: error: cannot listen on 127.0.0.1:{}; is the port taken? `--port 0` picks a free one\n",
                    options.port);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    return 1;
  }

  server.Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    if (!host_allowed(req.get_header_value("Host"), port)) return send(res, service.wrong_host());
    send(res, service.handle(req.method, req.path, {}));
  });
  // Bodies are read here rather than by the library, so that one without a length (chunked) is bounded
  // too. Past the limit the rest is read and dropped, up to a point, so that the connection stays in step.
  const auto with_body = [&](const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader& reader) {
    std::string body;
    bool too_large = false;
    std::size_t read = 0;
    const auto receive = [&](const char* data, std::size_t n) {
      read += n;
      too_large = too_large || body.size() + n > kMaxRequestBytes;
      if (!too_large) body.append(data, n);
      return read <= 16 * kMaxRequestBytes;
    };
    if (req.is_multipart_form_data()) {
      reader([](const httplib::MultipartFormData&) { return true; }, receive);
      return send(res, service.unsupported_media_type());
    }
    const bool complete = reader(receive);
    if (too_large || res.status == 413) return send(res, service.too_large());
    if (!complete) {
      res.status = 400;
      return;
    }
    if (!host_allowed(req.get_header_value("Host"), port)) return send(res, service.wrong_host());
    send(res, service.handle(req.method, req.path, body, req.get_param_value("name")));
  };
  server.Post(".*", with_body);
  server.Put(".*", with_body);
  server.Patch(".*", with_body);
  server.Delete(".*", with_body);

  std::atomic<bool> listening_ended = false;
  std::atomic<bool> signalled = false;
  std::thread watcher([&] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    if (listening_ended) return;  // woken because the server ended on its own
    signalled = true;
    // stop() does nothing before the server runs: a signal that came first waits for it.
    while (!server.is_running() && !listening_ended) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (!listening_ended) server.stop();
  });

  fmt::print("secretc: serving on http://127.0.0.1:{}/\n", port);
  std::fflush(stdout);
  const bool listened = server.listen_after_bind();
  listening_ended = true;
  if (!signalled) pthread_kill(watcher.native_handle(), SIGTERM);  // pending in its mask: sigwait returns
  watcher.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (signalled) return 0;
  if (!listened) o.err += "secretc: error: the server stopped unexpectedly\n";
  return 1;
}

}  // namespace secretc
