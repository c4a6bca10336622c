// `secretc lsp` (cli/lsp_command.hpp): JSON-RPC over standard input/output, framed by `Content-Length`
// headers (the Language Server Protocol's base protocol). Everything a client sees is computed by the
// compiler's own passes: the folder of the document is compiled as `secretc compile FOLDER` would compile
// it (the open documents' texts in place of the files), and its declarations are read from the parser's
// tree. Nothing is written anywhere but to the client.
#include "cli/lsp_command.hpp"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <map>
#include <optional>
#include <ostream>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "analysis/lint.hpp"
#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "compiler/compile.hpp"
#include "compiler/format.hpp"
#include "compiler/parse_rules.hpp"
#include "compiler/test_runner.hpp"
#include "grammar/keywords.hpp"
#include "runtime/utf8.hpp"
#include "runtime/value.hpp"

namespace secretc {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

constexpr std::size_t kMaxMessageBytes = std::size_t{64} << 20U;  // a message larger than this is refused
constexpr std::size_t kMaxHeaderBytes = 1024;

// JSON-RPC's and the protocol's error codes.
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
constexpr int kServerNotInitialized = -32002;
constexpr int kRequestFailed = -32803;

// A request whose parameters are not what the protocol says: answered with kInvalidParams.
struct BadParams : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// ----- transport ------------------------------------------------------------------------------------

enum class ReadStatus : std::uint8_t { Ok, End, Broken };

std::string trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

// One message's body. End: the input ended between messages; Broken: a header or a body cut short.
ReadStatus read_message(std::istream& in, std::string& body, std::string& error) {
  std::optional<std::size_t> length;
  bool any = false;
  std::string line;
  while (true) {
    line.clear();
    char c = 0;
    while (in.get(c) && c != '\n') {
      if (line.size() == kMaxHeaderBytes) {
        error = fmt::format("a header line longer than {} bytes", kMaxHeaderBytes);
        return ReadStatus::Broken;
      }
      line += c;
    }
    if (!in && line.empty()) {
      if (!any) return ReadStatus::End;
      error = "the input ended inside a message's header";
      return ReadStatus::Broken;
    }
    any = true;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      error = fmt::format("a header without `:`: `{}`", utf8_scrubbed(line));
      return ReadStatus::Broken;
    }
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::tolower(ch); });
    if (name != "content-length") continue;  // Content-Type and others: nothing to do with them
    const std::string value = trimmed(std::string_view(line).substr(colon + 1));
    std::size_t n = 0;
    bool digits = !value.empty() && value.size() <= 12;
    for (const char d : value) {
      digits = digits && d >= '0' && d <= '9';
      if (digits) n = n * 10 + static_cast<std::size_t>(d - '0');
    }
    if (!digits || n > kMaxMessageBytes) {
      error = fmt::format("`Content-Length: {}` is not a length of at most {} bytes", utf8_scrubbed(value),
                          kMaxMessageBytes);
      return ReadStatus::Broken;
    }
    length = n;
  }
  if (!length) {
    error = "a message without `Content-Length`";
    return ReadStatus::Broken;
  }
  body.resize(*length);
  in.read(body.data(), static_cast<std::streamsize>(*length));
  if (static_cast<std::size_t>(in.gcount()) != *length) {
    error = "the input ended inside a message";
    return ReadStatus::Broken;
  }
  return ReadStatus::Ok;
}

void write_message(std::ostream& out, const json& message) {
  const std::string body = message.dump(-1, ' ', false, json::error_handler_t::replace);
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

// ----- URIs and positions -----------------------------------------------------------------------------

std::string path_of_uri(const std::string& uri) {
  if (uri.rfind("file://", 0) != 0) throw BadParams(fmt::format("`{}` is not a file:// URI", uri));
  std::string out;
  for (std::size_t i = 7; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      out += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return fs::path(out).lexically_normal().string();
}

std::string uri_of_path(const std::string& path) {
  std::string out = "file://";
  for (const char c : path) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += fmt::format("%{:02X}", static_cast<unsigned>(u));
    }
  }
  return out;
}

// The protocol counts a line's characters in UTF-16 code units; secretc's columns count characters.
std::uint32_t utf16_of_column(std::string_view line, std::uint32_t column) {
  std::uint32_t units = 0, chars = 1;
  for (std::size_t i = 0; i < line.size() && chars < column; ++chars) {
    const std::size_t n = std::max<std::size_t>(1, utf8_char_length(line, i));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return units;
}

std::size_t byte_of_utf16(std::string_view line, std::uint32_t character) {
  std::size_t i = 0;
  for (std::uint32_t units = 0; i < line.size() && units < character;) {
    const std::size_t n = std::max<std::size_t>(1, utf8_char_length(line, i));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return std::min(i, line.size());
}

std::uint32_t utf16_length(std::string_view text) {
  return utf16_of_column(text, static_cast<std::uint32_t>(text.size()) + 1);
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  while (true) {
    const auto nl = text.find('\n', from);
    std::string_view line = text.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.push_back(line);
    if (nl == std::string_view::npos) return out;
    from = nl + 1;
  }
}

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
}

json position(std::uint32_t line, std::uint32_t character) {
  return {{"line", line}, {"character", character}};
}

// ----- the rulebase of a folder ---------------------------------------------------------------------------

enum class DeclKind : std::uint8_t { Fact, Define, Output, Enum, Member, Rule, Test };

struct Decl {
  DeclKind kind = DeclKind::Fact;
  std::string name;
  Location at;
  std::size_t index = 0;  // in its list of the tree
  std::size_t member =
      0;  // for a member: which one of its enumeration (index: the enumeration, or the fact / output of an inline one)
  int owner = 0;  // for a member: 0 an enumeration, 1 a fact's inline one, 2 an output's
};

// A document's folder, compiled: the files (open documents as the editor holds them), the diagnostics,
// the program when it compiles, and the declarations of the parser's tree even when it does not.
struct Workspace {
  std::vector<std::pair<std::string, std::string>> files;  // path, text
  Compilation compiled;
  ast::Rulebase tree;
  std::vector<Decl> decls;

  [[nodiscard]] std::optional<std::uint32_t> file_index(const std::string& path) const {
    for (std::uint32_t f = 0; f < files.size(); ++f) {
      if (files[f].first == path) return f;
    }
    return std::nullopt;
  }
  [[nodiscard]] const Decl* find(std::string_view name, std::optional<DeclKind> kind = std::nullopt) const {
    for (const Decl& d : decls) {
      if (d.name == name && (!kind || d.kind == *kind) && d.kind != DeclKind::Member) return &d;
    }
    for (const Decl& d : decls) {
      if (d.name == name && (!kind || d.kind == *kind)) return &d;
    }
    return nullptr;
  }
};

void collect_decls(Workspace& w) {
  const ast::Rulebase& t = w.tree;
  for (std::size_t i = 0; i < t.facts.size(); ++i) {
    w.decls.push_back({DeclKind::Fact, t.facts[i].name, t.facts[i].at, i});
    for (std::size_t m = 0; m < t.facts[i].type.members.size(); ++m) {
      w.decls.push_back({DeclKind::Member, t.facts[i].type.members[m], t.facts[i].type.member_at[m], i, m, 1});
    }
  }
  for (std::size_t i = 0; i < t.defines.size(); ++i)
    w.decls.push_back({DeclKind::Define, t.defines[i].name, t.defines[i].at, i});
  for (std::size_t i = 0; i < t.outputs.size(); ++i) {
    w.decls.push_back({DeclKind::Output, t.outputs[i].name, t.outputs[i].at, i});
    for (std::size_t m = 0; m < t.outputs[i].type.members.size(); ++m) {
      w.decls.push_back({DeclKind::Member, t.outputs[i].type.members[m], t.outputs[i].type.member_at[m], i, m, 2});
    }
  }
  for (std::size_t i = 0; i < t.enums.size(); ++i) {
    w.decls.push_back({DeclKind::Enum, t.enums[i].name, t.enums[i].at, i});
    for (std::size_t m = 0; m < t.enums[i].members.size(); ++m) {
      w.decls.push_back({DeclKind::Member, t.enums[i].members[m], t.enums[i].member_at[m], i, m, 0});
    }
  }
  for (std::size_t i = 0; i < t.rules.size(); ++i)
    w.decls.push_back({DeclKind::Rule, t.rules[i].name, t.rules[i].at, i});
  for (std::size_t i = 0; i < t.tests.size(); ++i)
    w.decls.push_back({DeclKind::Test, t.tests[i].name, t.tests[i].at, i});
}

// ----- the server ----------------------------------------------------------------------------------------

class Server {
 public:
  explicit Server(std::ostream& out) : out_(out) {}

  // False once `exit` was received.
  bool handle(const json& message) {
    const bool request = message.contains("id");
    const json id = request ? message["id"] : json(nullptr);
    if (!message.contains("method") || !message["method"].is_string()) {
      if (request) error(id, kInvalidRequest, "a message without a method");
      return true;  // a response from the client: nothing asked it
    }
    const std::string method = message["method"];
    const json params = message.contains("params") ? message["params"] : json::object();
    if (method == "exit") return false;
    try {
      if (!initialized_ && method != "initialize") {
        if (request) error(id, kServerNotInitialized, "the server is not initialized yet: send `initialize` first");
        return true;
      }
      if (shut_down_ && request) {
        error(id, kInvalidRequest, "the server was shut down: only `exit` is expected");
        return true;
      }
      dispatch(method, params, id, request);
    } catch (const BadParams& e) {
      if (request) error(id, kInvalidParams, e.what());
    } catch (const json::exception& e) {
      if (request)
        error(id, kInvalidParams, fmt::format("the parameters are not as `{}` takes them: {}", method, e.what()));
    } catch (const std::exception& e) {
      if (request) error(id, kInternalError, fmt::format("internal error: {}", e.what()));
    }
    return true;
  }

  [[nodiscard]] int exit_code() const { return shut_down_ ? 0 : 1; }

  void error(const json& id, int code, const std::string& text) {
    write_message(out_,
                  {{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", code}, {"message", utf8_scrubbed(text)}}}});
  }

 private:
  void reply(const json& id, const json& result) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
  }
  void notify(const std::string& method, const json& params) {
    write_message(out_, {{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
  }

  static std::string text_param(const json& params, const char* key) {
    if (!params.contains(key) || !params[key].is_string()) throw BadParams(fmt::format("`{}` must be a string", key));
    return params[key].get<std::string>();
  }
  static std::string uri_param(const json& params) {
    if (!params.contains("textDocument") || !params["textDocument"].is_object())
      throw BadParams("`textDocument` is missing");
    return text_param(params["textDocument"], "uri");
  }

  void dispatch(const std::string& method, const json& params, const json& id, bool request) {
    if (method == "initialize") {
      initialized_ = true;
      if (params.contains("locale") && params["locale"].is_string() &&
          params["locale"].get<std::string>().rfind("en", 0) == 0) {
        lang_ = TextLang::English;
      }
      const json capabilities = {
          {"textDocumentSync", {{"openClose", true}, {"change", 1}, {"save", {{"includeText", false}}}}},
          {"hoverProvider", true},
          {"definitionProvider", true},
          {"referencesProvider", true},
          {"documentSymbolProvider", true},
          {"documentFormattingProvider", true},
          {"completionProvider", {{"triggerCharacters", {".", " ", "{", ","}}}},
          {"executeCommandProvider", {{"commands", {"secretc.runTests"}}}}};
      reply(id, {{"capabilities", capabilities}, {"serverInfo", {{"name", "secretc"}, {"version", "0.1.0"}}}});
    } else if (method == "initialized" || method == "$/cancelRequest" || method == "$/setTrace" ||
               method == "workspace/didChangeConfiguration") {
      // Nothing to do.
    } else if (method == "shutdown") {
      shut_down_ = true;
      reply(id, nullptr);
    } else if (method == "textDocument/didOpen") {
      const json& doc = params.at("textDocument");
      open_[path_of_uri(text_param(doc, "uri"))] = text_param(doc, "text");
      publish(path_of_uri(text_param(doc, "uri")), false);
    } else if (method == "textDocument/didChange") {
      const std::string path = path_of_uri(uri_param(params));
      const json& changes = params.at("contentChanges");
      if (!changes.is_array() || changes.empty()) throw BadParams("`contentChanges` must be a non-empty array");
      open_[path] = text_param(changes.back(), "text");  // full synchronisation: the last one is the text
      publish(path, false);
    } else if (method == "textDocument/didSave") {
      publish(path_of_uri(uri_param(params)), true);
    } else if (method == "textDocument/didClose") {
      open_.erase(path_of_uri(uri_param(params)));
    } else if (method == "textDocument/hover") {
      reply(id, hover(params));
    } else if (method == "textDocument/definition") {
      reply(id, definition(params));
    } else if (method == "textDocument/references") {
      reply(id, references(params));
    } else if (method == "textDocument/documentSymbol") {
      reply(id, symbols(params));
    } else if (method == "textDocument/completion") {
      reply(id, completion(params));
    } else if (method == "textDocument/formatting") {
      formatting(id, params);
    } else if (method == "workspace/executeCommand") {
      if (text_param(params, "command") != "secretc.runTests")
        throw BadParams("the only command is `secretc.runTests`");
      const json& args = params.contains("arguments") ? params["arguments"] : json::array();
      if (!args.is_array() || args.empty() || !args[0].is_string())
        throw BadParams("`secretc.runTests` takes a document's URI");
      reply(id, run_tests_of(path_of_uri(args[0].get<std::string>())));
    } else if (request) {
      error(id, kMethodNotFound, fmt::format("`{}` is not a method secretc answers", method));
    }
  }

  // The text of a file as the editor holds it, else as it is on disk.
  std::optional<std::string> text_of(const std::string& path) const {
    if (const auto it = open_.find(path); it != open_.end()) return it->second;
    std::string text;
    Message problem;
    if (!read_file(path, text, kMaxRuleFileBytes, problem)) return std::nullopt;
    return text;
  }

  // The folder of `path` as one rulebase.
  Workspace workspace_of(const std::string& path) const {
    Workspace w;
    std::set<std::string> paths;
    Diagnostics ignored;
    for (const std::string& f : rule_files({fs::path(path).parent_path().string()}, ignored)) {
      paths.insert(fs::path(f).lexically_normal().string());
    }
    paths.insert(path);
    for (const auto& [open, text] : open_) {
      if (fs::path(open).parent_path() == fs::path(path).parent_path() && fs::path(open).extension() == ".rules")
        paths.insert(open);
    }
    for (const std::string& p : paths) {
      if (auto text = text_of(p)) w.files.emplace_back(p, std::move(*text));
    }
    w.compiled = compile_texts(w.files);
    Diagnostics parse_diags;
    for (std::uint32_t f = 0; f < w.compiled.sources.size(); ++f)
      parse_rules(w.compiled.sources, f, w.tree, parse_diags);
    collect_decls(w);
    return w;
  }

  json range_at(const Workspace& w, Location at) const {
    if (at.file >= w.compiled.sources.size() || at.line == 0)
      return {{"start", position(0, 0)}, {"end", position(0, 0)}};
    const std::string_view line = w.compiled.sources.line_text(at.file, at.line);
    const std::uint32_t start = utf16_of_column(line, std::max<std::uint32_t>(at.column, 1));
    std::size_t b = byte_of_utf16(line, start), e = b;
    while (e < line.size() && is_name_char(line[e])) ++e;
    if (e == b && e < line.size()) e += std::max<std::size_t>(1, utf8_char_length(line, e));
    const std::uint32_t end = start + utf16_length(line.substr(b, e - b));
    return {{"start", position(at.line - 1, start)}, {"end", position(at.line - 1, end)}};
  }

  std::string rendered(const Message& text, const std::string& plain) const {
    return text.id != Msg::Count_ ? message_text(text, lang_) : plain;
  }

  // Diagnostics of the folder of `path` (with lint and the tests on save), one notification per file.
  void publish(const std::string& path, bool saved) {
    const Workspace w = workspace_of(path);
    std::vector<json> per_file(w.files.size(), json::array());
    const std::uint32_t own = w.file_index(path).value_or(0);
    const auto add = [&](Location at, int severity, const std::string& source, const std::string& text) {
      const std::uint32_t f = at.file < per_file.size() ? at.file : own;
      per_file[f].push_back(
          {{"range", range_at(w, at)}, {"severity", severity}, {"source", source}, {"message", text}});
    };
    for (const Diagnostic& d : w.compiled.diags.sorted()) {
      const int severity = d.severity == Severity::Error ? 1 : d.severity == Severity::Warning ? 2 : 3;
      std::string text = rendered(d.text, d.message);
      if (const std::string hint = rendered(d.hint_text, d.hint); !hint.empty()) text += "\n" + hint;
      add(d.where, severity, "secretc", text);
    }
    if (saved && w.compiled.program && w.compiled.model) {
      LintOptions options;
      options.timeout_ms = 5000;
      options.today = today_days();
      const LintReport report = lint_rulebase(w.compiled, options);
      for (const LintFinding& f : report.findings) {
        if (f.justified) continue;
        const std::string hint = f.hint_in(lang_);
        add(f.at, 2, "secretc lint", hint.empty() ? f.message_in(lang_) : f.message_in(lang_) + "\n" + hint);
      }
      Diagnostics test_diags;
      const TestRun run = run_tests(*w.compiled.model, *w.compiled.program, today_days(), test_diags, lang_);
      for (const TestOutcome& o : run.outcomes) {
        if (!o.passed)
          add(o.at, 1, "secretc test", message_text(msg(Msg::TestFailsInEditor, o.name), lang_) + "\n" + o.failure);
      }
      for (const Diagnostic& d : test_diags.sorted()) add(d.where, 1, "secretc test", rendered(d.text, d.message));
    }
    for (std::uint32_t f = 0; f < w.files.size(); ++f) {
      notify("textDocument/publishDiagnostics", {{"uri", uri_of_path(w.files[f].first)}, {"diagnostics", per_file[f]}});
    }
  }

  // The name under the cursor, and the workspace it is read in.
  struct AtCursor {
    Workspace w;
    std::string path;
    std::string name;
    std::string prefix;  // the line up to the cursor
  };
  AtCursor at_cursor(const json& params) const {
    AtCursor a;
    a.path = path_of_uri(uri_param(params));
    a.w = workspace_of(a.path);
    const json& pos = params.at("position");
    const auto line_no = pos.at("line").get<std::uint32_t>();
    const auto character = pos.at("character").get<std::uint32_t>();
    const auto file = a.w.file_index(a.path);
    if (!file) return a;
    const std::string_view line = a.w.compiled.sources.line_text(*file, line_no + 1);
    const std::size_t at = byte_of_utf16(line, character);
    a.prefix = std::string(line.substr(0, at));
    std::size_t b = at, e = at;
    while (b > 0 && is_name_char(line[b - 1])) --b;
    while (e < line.size() && is_name_char(line[e])) ++e;
    a.name = std::string(line.substr(b, e - b));
    while (!a.name.empty() && a.name.back() == '.') a.name.pop_back();
    return a;
  }

  json location_of(const Workspace& w, Location at) const {
    if (at.file >= w.files.size()) return nullptr;
    return {{"uri", uri_of_path(w.files[at.file].first)}, {"range", range_at(w, at)}};
  }

  // The members a fact, a definition's or an output's type has.
  static std::vector<std::string> members_of_type(const ast::Rulebase& t, const ast::TypeRef& type) {
    if (!type.members.empty()) return type.members;
    for (const ast::EnumDecl& e : t.enums) {
      if (e.name == type.name) return e.members;
    }
    return {};
  }
  static std::string type_text(const ast::Rulebase& t, const ast::TypeRef& type) {
    const std::vector<std::string> members = members_of_type(t, type);
    std::string list;
    for (const std::string& m : members) list += (list.empty() ? "" : ", ") + m;
    if (type.name.empty()) return members.empty() ? "?" : "{ " + list + " }";
    return members.empty() ? type.name : fmt::format("{} {{ {} }}", type.name, list);
  }

  json hover(const json& params) const {
    const AtCursor a = at_cursor(params);
    const Decl* d = a.name.empty() ? nullptr : a.w.find(a.name);
    if (d == nullptr) return nullptr;
    const bool fr = lang_ == TextLang::French;
    const ast::Rulebase& t = a.w.tree;
    std::string md;
    switch (d->kind) {
      case DeclKind::Fact: {
        const ast::FactDecl& f = t.facts[d->index];
        md = fmt::format("**{}** `{}` : `{}`", fr ? "fait" : "fact", f.name, type_text(t, f.type));
        if (!f.question.empty()) md += "\n\n" + f.question;
        if (!f.help.empty()) md += fmt::format("\n\n*{}* {}", fr ? "aide :" : "help:", f.help);
        if (f.default_value) md += fmt::format("\n\n{}", fr ? "a une valeur par défaut" : "has a default value");
        break;
      }
      case DeclKind::Rule: {
        const ast::RuleDecl& r = t.rules[d->index];
        md = fmt::format("**{}** `{}`", r.warning ? (fr ? "avertissement" : "warning") : (fr ? "règle" : "rule"),
                         r.name);
        if (!r.title.empty()) md += " — " + r.title;
        if (!r.cite.empty()) md += fmt::format("\n\n{} {}", fr ? "cite :" : "cite:", r.cite);
        if (r.valid_from || r.valid_until) {
          md += fmt::format("\n\n{} {}{}", fr ? "en vigueur" : "in force",
                            r.valid_from ? (fr ? "du " : "from ") + format_date(*r.valid_from) : "",
                            r.valid_until ? (fr ? " jusqu'au " : " until ") + format_date(*r.valid_until) +
                                                (fr ? " (exclu)" : " (excluded)")
                                          : "");
        }
        if (!r.because.empty()) md += fmt::format("\n\n*{}* {}", fr ? "parce que" : "because", r.because);
        break;
      }
      case DeclKind::Define:
        md = fmt::format("**{}** `{}`", fr ? "définition" : "definition", d->name);
        break;
      case DeclKind::Output: {
        const ast::OutputDecl& o = t.outputs[d->index];
        md = fmt::format("**{}** `{}` : `{}`", fr ? "sortie" : "output", o.name, type_text(t, o.type));
        break;
      }
      case DeclKind::Enum: {
        const ast::EnumDecl& e = t.enums[d->index];
        ast::TypeRef ref;
        ref.name = e.name;
        md = fmt::format("**{}** `{}`", fr ? "énumération" : "enumeration", type_text(t, ref));
        break;
      }
      case DeclKind::Member: {
        std::string label, owner;
        if (d->owner == 0) {
          label = d->member < t.enums[d->index].labels.size() ? t.enums[d->index].labels[d->member] : "";
          owner = t.enums[d->index].name;
        } else if (d->owner == 1) {
          label = d->member < t.facts[d->index].type.labels.size() ? t.facts[d->index].type.labels[d->member] : "";
          owner = t.facts[d->index].name;
        } else {
          label = d->member < t.outputs[d->index].type.labels.size() ? t.outputs[d->index].type.labels[d->member] : "";
          owner = t.outputs[d->index].name;
        }
        md = fmt::format("**{}** `{}` {} `{}`", fr ? "membre" : "member", d->name, fr ? "de" : "of", owner);
        if (!label.empty()) md += " — « " + label + " »";
        break;
      }
      case DeclKind::Test:
        md = fmt::format("**test** `{}`", d->name);
        break;
    }
    return {{"contents", {{"kind", "markdown"}, {"value", md}}}};
  }

  json definition(const json& params) const {
    const AtCursor a = at_cursor(params);
    const Decl* d = a.name.empty() ? nullptr : a.w.find(a.name);
    return d == nullptr ? json(nullptr) : location_of(a.w, d->at);
  }

  // Every place the name is written, outside strings and comments, in the folder's files.
  json references(const json& params) const {
    const AtCursor a = at_cursor(params);
    json out = json::array();
    if (a.name.empty() || a.w.find(a.name) == nullptr) return out;
    for (std::uint32_t f = 0; f < a.w.compiled.sources.size(); ++f) {
      const std::vector<std::string_view> lines = lines_of(a.w.compiled.sources.text(f));
      for (std::uint32_t l = 0; l < lines.size(); ++l) {
        const std::string_view line = lines[l];
        bool in_string = false;
        for (std::size_t i = 0; i < line.size(); ++i) {
          const char c = line[i];
          if (in_string) {
            if (c == '\\')
              ++i;
            else if (c == '"')
              in_string = false;
            continue;
          }
          if (c == '"') {
            in_string = true;
            continue;
          }
          if (c == '#') break;
          if (!is_name_char(c) || (i > 0 && is_name_char(line[i - 1]))) continue;
          std::size_t e = i;
          while (e < line.size() && is_name_char(line[e])) ++e;
          if (line.substr(i, e - i) == a.name) {
            const std::uint32_t start = utf16_length(line.substr(0, i));
            out.push_back(
                {{"uri", uri_of_path(a.w.files[f].first)},
                 {"range", {{"start", position(l, start)}, {"end", position(l, start + utf16_length(a.name))}}}});
          }
          i = e - 1;
        }
      }
    }
    return out;
  }

  json symbols(const json& params) const {
    const std::string path = path_of_uri(uri_param(params));
    const Workspace w = workspace_of(path);
    json out = json::array();
    const auto file = w.file_index(path);
    if (!file) return out;
    const auto symbol = [&](const std::string& name, int kind, Location at, const std::string& detail) {
      const json range = range_at(w, at);
      json s = {{"name", name}, {"kind", kind}, {"range", range}, {"selectionRange", range}};
      if (!detail.empty()) s["detail"] = detail;
      return s;
    };
    for (const Decl& d : w.decls) {
      if (d.at.file != *file || d.kind == DeclKind::Member) continue;
      // The protocol's SymbolKind: 5 class, 10 enum, 12 function, 13 variable, 14 constant, 8 field, 6 method.
      const int kind = d.kind == DeclKind::Fact     ? 13
                       : d.kind == DeclKind::Define ? 14
                       : d.kind == DeclKind::Output ? 8
                       : d.kind == DeclKind::Enum   ? 10
                       : d.kind == DeclKind::Rule   ? 12
                                                    : 6;
      std::string detail;
      if (d.kind == DeclKind::Rule) detail = w.tree.rules[d.index].title;
      if (d.kind == DeclKind::Fact) detail = w.tree.facts[d.index].question;
      json s = symbol(d.name, kind, d.at, detail);
      if (d.kind == DeclKind::Enum) {
        json children = json::array();
        const ast::EnumDecl& e = w.tree.enums[d.index];
        for (std::size_t m = 0; m < e.members.size(); ++m)
          children.push_back(symbol(e.members[m], 22, e.member_at[m], ""));
        s["children"] = children;
      }
      out.push_back(s);
    }
    return out;
  }

  // The language a file is written in: that of its first declaration that has one (every declaration
  // of a file has the same); French for a file with none yet.
  static TextLang file_language(const Workspace& w, std::optional<std::uint32_t> file) {
    std::optional<Location> first;
    ast::Lang lang = ast::Lang::Unset;
    const auto consider = [&](const Location& at, ast::Lang l) {
      if (!file || at.file != *file || l == ast::Lang::Unset) return;
      if (!first || at.line < first->line) first = at, lang = l;
    };
    for (const ast::RuleDecl& r : w.tree.rules) consider(r.at, r.lang);
    for (const ast::FactDecl& f : w.tree.facts) consider(f.at, f.lang);
    for (const ast::EnumDecl& e : w.tree.enums) consider(e.at, e.lang);
    for (const ast::ThemeDecl& th : w.tree.themes) consider(th.at, th.lang);
    for (const ast::OutputDecl& o : w.tree.outputs) consider(o.at, o.lang);
    return lang == ast::Lang::English ? TextLang::English : TextLang::French;
  }

  json completion(const json& params) const {
    const AtCursor a = at_cursor(params);
    const ast::Rulebase& t = a.w.tree;
    json items = json::array();
    const auto item = [&](const std::string& label, int kind, const std::string& detail) {
      json i = {{"label", label}, {"kind", kind}};
      if (!detail.empty()) i["detail"] = detail;
      items.push_back(i);
    };
    static const std::regex after_overrides(R"((prime\s+sur|overrides)\s+([A-Za-z0-9_]+\s*,\s*)*[A-Za-z0-9_]*$)");
    static const std::regex after_compare(R"(([A-Za-z0-9_.]+)\s*(==|!=|=)\s*[A-Za-z0-9_]*$)");
    static const std::regex after_in(R"(([A-Za-z0-9_.]+)\s+(pas\s+dans|not\s+in|dans|in)\s*\{[^}]*$)");
    std::smatch m;
    // The protocol's CompletionItemKind: 6 variable, 21 constant, 20 enum member, 3 function, 14 keyword.
    if (std::regex_search(a.prefix, m, after_overrides)) {
      for (const ast::RuleDecl& r : t.rules) item(r.name, 3, r.title);
    } else if (std::regex_search(a.prefix, m, after_compare) || std::regex_search(a.prefix, m, after_in)) {
      const std::string subject = m[1];
      for (const ast::FactDecl& f : t.facts) {
        if (f.name == subject) {
          for (const std::string& member : members_of_type(t, f.type)) item(member, 20, f.name);
        }
      }
      for (const ast::OutputDecl& o : t.outputs) {
        if (o.name == subject) {
          for (const std::string& member : members_of_type(t, o.type)) item(member, 20, o.name);
        }
      }
    } else {
      for (const ast::FactDecl& f : t.facts) item(f.name, 6, f.question);
      for (const ast::DefineDecl& d : t.defines) item(d.name, 21, "");
      for (const ast::OutputDecl& o : t.outputs) item(o.name, 6, "");
      // The keywords of the file's language, as `secretc fmt` writes them (grammar/keywords.def).
      const TextLang lang = file_language(a.w, a.w.file_index(a.path));
      for (const KeywordInfo& k : kKeywords) item(std::string(keyword_text(k.id, lang)), 14, "");
    }
    return {{"isIncomplete", false}, {"items", items}};
  }

  void formatting(const json& id, const json& params) {
    const std::string path = path_of_uri(uri_param(params));
    const std::optional<std::string> text = text_of(path);
    if (!text) throw BadParams(fmt::format("`{}` is neither open nor readable", path));
    const FormatResult r = format_rules(path, *text);
    if (r.status != FormatStatus::Ok) {
      error(id, kRequestFailed,
            r.diags.has_errors() ? render_all(r.diags, r.sources, lang_)
                                 : fmt::format("the file cannot be formatted: {}", r.problem));
      return;
    }
    if (r.text == *text) {
      reply(id, json::array());
      return;
    }
    const std::vector<std::string_view> lines = lines_of(*text);
    const json whole = {{"start", position(0, 0)},
                        {"end", position(static_cast<std::uint32_t>(lines.size() - 1), utf16_length(lines.back()))}};
    reply(id, json::array({{{"range", whole}, {"newText", r.text}}}));
  }

  json run_tests_of(const std::string& path) {
    const Workspace w = workspace_of(path);
    if (!w.compiled.program || !w.compiled.model) {
      publish(path, false);
      throw BadParams("the rulebase does not compile: its diagnostics say why");
    }
    Diagnostics diags;
    const TestRun run = run_tests(*w.compiled.model, *w.compiled.program, today_days(), diags, lang_);
    json failures = json::array();
    for (const TestOutcome& o : run.outcomes) {
      if (!o.passed) failures.push_back({{"name", o.name}, {"location", location_of(w, o.at)}, {"failure", o.failure}});
    }
    return {{"passed", run.passed}, {"failed", run.failed}, {"failures", failures}};
  }

  std::ostream& out_;
  bool initialized_ = false;
  bool shut_down_ = false;
  TextLang lang_ = TextLang::French;
  std::map<std::string, std::string> open_;  // path → the text the editor holds
};

}  // namespace

int run_lsp(std::istream& in, std::ostream& out, std::FILE* log) {
  Server server(out);
  std::string body, error;
  while (true) {
    const ReadStatus status = read_message(in, body, error);
    if (status == ReadStatus::End) return 1;  // the client went away without `exit`
    if (status == ReadStatus::Broken) {
      fmt::print(log, "secretc lsp: error: {}; the connection cannot be read further\n", error);
      return 1;
    }
    const json message = json::parse(body, nullptr, false);
    if (message.is_discarded() || !message.is_object()) {
      server.error(nullptr, kParseError, "the message is not a JSON object");
      continue;
    }
    if (!server.handle(message)) return server.exit_code();
  }
}

}  // namespace secretc
