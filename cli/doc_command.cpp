// `secretc doc` (cli/doc_command.hpp). The site is made from the compiled program — what the VM runs —
// so that rule sources, a `.secbc` and the embedded rulebase are documented alike: conditions and
// definitions are read back by analysis/decompile (as `diff` shows them); the tests, which only sources
// hold, are listed when the rulebase is compiled from them. Every page is written in memory first, then
// the folder replaced at once: a failure leaves no half-written site.
#include "cli/doc_command.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

#include "analysis/decompile.hpp"
#include "cli/inputs.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/vm.hpp"

namespace secretc {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = ".secretc-doc";  // in every folder `secretc doc` writes: it may replace it

std::string html(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    const char* entity = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : nullptr;
    if (entity != nullptr) {
      out += entity;
    } else {
      out += c;
    }
  }
  return out;
}

// A page's file name: the name as it is (rule, fact and definition names are ASCII words and dots).
std::string page(std::string_view folder, std::string_view name) {
  return fmt::format("{}/{}.html", folder, name);
}

const char* kStyle =
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}"
    "a{color:#0645ad}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}"
    "pre{background:#f6f6f6;padding:.6rem;white-space:pre-wrap}dt{font-weight:600;margin-top:.6rem}"
    "nav{font-size:.9rem;margin-bottom:1rem}.muted{color:#666}input{font-size:1rem;padding:.3rem;width:100%}"
    "li.hidden{display:none}";

std::string wrap_page(const std::string& title, const std::string& root, const std::string& body,
                      const std::string& script = {}) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>{}</style>\n</head>\n"
      "<body>\n<nav><a href=\"{}index.html\">Sommaire</a></nav>\n{}{}</body>\n</html>\n",
      html(title), kStyle, root, body, script.empty() ? "" : "<script>\n" + script + "</script>\n");
}

class Site {
 public:
  Site(const Program& p, const Model* model, std::vector<std::pair<std::string, BoundCase>> examples)
      : p_(p),
        model_(model),
        examples_(std::move(examples)),
        keywords_(keywords_of(p)),
        code_(decompile(p, keywords_)) {
    for (const FactInfo& f : p_.facts) facts_.insert(f.name);
    for (const DefinitionText& d : code_.definitions) definitions_.insert(d.name);
    overridden_by_.resize(p_.rules.size());
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      for (const std::uint32_t o : p_.rules[r].overrides) {
        if (o < p_.rules.size()) overridden_by_[o].push_back(r);
      }
    }
    // Which rules each example's answer rests on, for sure or perhaps.
    Machine machine(p_);
    for (const auto& [name, bound] : examples_) {
      const Result& result = machine.evaluate(bound.facts, &bound.given);
      applies_.push_back(result.applies);
    }
  }

  std::map<std::string, std::string> pages() {
    std::map<std::string, std::string> out;
    out["index.html"] = index();
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) out[page("regles", p_.rules[r].name)] = rule_page(r);
    for (std::uint32_t f = 0; f < p_.facts.size(); ++f) out[page("faits", p_.facts[f].name)] = fact_page(f);
    for (const DefinitionText& d : code_.definitions) out[page("definitions", d.name)] = definition_page(d);
    return out;
  }

 private:
  // A condition or a definition as text, each fact and definition named in it linked to its page.
  std::string linked(std::string_view text, const std::string& root) const {
    std::string out;
    bool in_string = false;
    for (std::size_t i = 0; i < text.size();) {
      const char c = text[i];
      if (c == '"') in_string = !in_string;
      const bool starts = !in_string && (std::isalpha(static_cast<unsigned char>(c)) || c == '_') &&
                          (i == 0 || !(std::isalnum(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '_' ||
                                       text[i - 1] == '.'));
      if (!starts) {
        out += html(text.substr(i, 1));
        ++i;
        continue;
      }
      std::size_t e = i;
      while (e < text.size() && (std::isalnum(static_cast<unsigned char>(text[e])) || text[e] == '_' || text[e] == '.'))
        ++e;
      std::string word(text.substr(i, e - i));
      while (!word.empty() && word.back() == '.') word.pop_back();
      if (facts_.count(word) != 0) {
        out += fmt::format("<a href=\"{}{}\">{}</a>", root, page("faits", word), html(word));
      } else if (definitions_.count(word) != 0) {
        out += fmt::format("<a href=\"{}{}\">{}</a>", root, page("definitions", word), html(word));
      } else {
        out += html(word);
      }
      i += word.empty() ? 1 : word.size();
    }
    return out;
  }

  std::string rule_link(std::uint32_t r, const std::string& root) const {
    const RuleInfo& info = p_.rules[r];
    return fmt::format("<a href=\"{}{}\">{}</a>{}", root, page("regles", info.name), html(info.name),
                       info.title.empty() ? "" : " — " + html(info.title));
  }
  std::string fact_link(std::uint32_t f, const std::string& root) const {
    return fmt::format("<a href=\"{}{}\">{}</a>", root, page("faits", p_.facts[f].name), html(p_.facts[f].name));
  }

  // The theme of a fact: the label of `thème` for its first part, else that part.
  std::string theme_of(const FactInfo& f) const {
    const std::string head = f.name.substr(0, f.name.find('.'));
    for (std::uint32_t t = 0; t < p_.themes.size(); ++t) {
      if (p_.themes[t].name == head) return p_.theme_label(t, TextLang::French);
    }
    return head;
  }

  std::string index() const {
    std::string body = fmt::format(
        "<h1>{}</h1>\n<p class=\"muted\">version {}{} — empreinte {:016x}</p>\n", html(p_.name), html(p_.version),
        p_.law_as_of ? fmt::format(", à jour au {}", format_date(*p_.law_as_of)) : "", p_.source_hash);
    body +=
        "<label for=\"recherche\">Rechercher une règle, un fait, un article :</label>\n"
        "<input id=\"recherche\" type=\"search\" autocomplete=\"off\">\n<ul id=\"resultats\">\n";
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const RuleInfo& info = p_.rules[r];
      body += fmt::format("<li class=\"hidden\" data-texte=\"{}\">{} <span class=\"muted\">{}</span></li>\n",
                          html(info.name + " " + info.title + " " + info.cite), rule_link(r, ""), html(info.cite));
    }
    for (std::uint32_t f = 0; f < p_.facts.size(); ++f) {
      body += fmt::format("<li class=\"hidden\" data-texte=\"{}\">{} <span class=\"muted\">{}</span></li>\n",
                          html(p_.facts[f].name + " " + p_.facts[f].question), fact_link(f, ""),
                          html(p_.facts[f].question));
    }
    body += "</ul>\n<h2>Règles, par fichier</h2>\n";
    std::map<std::string, std::vector<std::uint32_t>> by_file;
    std::vector<std::string> file_order;
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const std::string file =
          p_.rules[r].source_file.empty() ? "(sans fichier)" : fs::path(p_.rules[r].source_file).filename().string();
      if (by_file.count(file) == 0) file_order.push_back(file);
      by_file[file].push_back(r);
    }
    for (const std::string& file : file_order) {
      body += fmt::format("<h3>{}</h3>\n<ul>\n", html(file));
      for (const std::uint32_t r : by_file[file]) body += "<li>" + rule_link(r, "") + "</li>\n";
      body += "</ul>\n";
    }
    body += "<h2>Faits, par thème</h2>\n";
    std::map<std::string, std::vector<std::uint32_t>> by_theme;
    std::vector<std::string> theme_order;
    for (std::uint32_t f = 0; f < p_.facts.size(); ++f) {
      const std::string theme = theme_of(p_.facts[f]);
      if (by_theme.count(theme) == 0) theme_order.push_back(theme);
      by_theme[theme].push_back(f);
    }
    for (const std::string& theme : theme_order) {
      body += fmt::format("<h3>{}</h3>\n<ul>\n", html(theme));
      for (const std::uint32_t f : by_theme[theme]) {
        body +=
            fmt::format("<li>{} <span class=\"muted\">{}</span></li>\n", fact_link(f, ""), html(p_.facts[f].question));
      }
      body += "</ul>\n";
    }
    if (!code_.definitions.empty()) {
      body += "<h2>Définitions</h2>\n<ul>\n";
      for (const DefinitionText& d : code_.definitions) {
        body += fmt::format("<li><a href=\"{}\">{}</a></li>\n", page("definitions", d.name), html(d.name));
      }
      body += "</ul>\n";
    }
    // The search: words folded as case files fold them (accents off, lower case), every word must match.
    const std::string script =
        "const fold = (s) => s.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();\n"
        "const input = document.getElementById('recherche');\n"
        "input.addEventListener('input', () => {\n"
        "  const words = fold(input.value).split(/\\s+/).filter((w) => w);\n"
        "  for (const li of document.querySelectorAll('#resultats li')) {\n"
        "    const text = fold(li.dataset.texte);\n"
        "    li.classList.toggle('hidden', words.length === 0 || !words.every((w) => text.includes(w)));\n"
        "  }\n"
        "});\n";
    return wrap_page(p_.name, "", body, script);
  }

  std::string rule_page(std::uint32_t r) const {
    const RuleInfo& info = p_.rules[r];
    const std::string root = "../";
    std::string body = fmt::format(
        "<h1>{}</h1>\n<p class=\"muted\">{} <code>{}</code>{}</p>\n<dl>\n",
        html(info.title.empty() ? info.name : info.title), info.kind == RuleKind::Warning ? "avertissement" : "règle",
        html(info.name),
        info.source_file.empty()
            ? ""
            : fmt::format(" — {}:{}", html(fs::path(info.source_file).filename().string()), info.source_line));
    const auto item = [&](const char* term, const std::string& value_html) {
      if (!value_html.empty()) body += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, value_html);
    };
    item("Référence", html(info.cite));
    item("En vigueur", html(validity_text(info, keywords_)));
    item("Condition", r < code_.when.size() && !code_.when[r].empty() ? "<pre>" + linked(code_.when[r], root) + "</pre>"
                                                                      : "toujours");
    if (info.kind == RuleKind::Rule) item("Effet", "<pre>" + html(effects_text(p_, info)) + "</pre>");
    std::uint32_t number = 0;
    for (std::uint32_t k = 0; k < r; ++k) number += static_cast<std::uint32_t>(p_.rules[k].provisos.size());
    std::string provisos;
    for (std::size_t k = 0; k < info.provisos.size(); ++k) {
      const std::string& condition = number + k < code_.provisos.size() ? code_.provisos[number + k] : std::string();
      provisos += fmt::format("<li>{}<pre>{}</pre></li>", html(info.provisos[k].text), linked(condition, root));
    }
    if (!provisos.empty()) item("Pourvu que", "<ul>" + provisos + "</ul>");
    item("Parce que", html(info.because));
    item("Note", html(info.note));
    std::string sets_aside, set_aside_by, reads;
    for (const std::uint32_t o : info.overrides) sets_aside += "<li>" + rule_link(o, root) + "</li>";
    for (const std::uint32_t o : overridden_by_[r]) set_aside_by += "<li>" + rule_link(o, root) + "</li>";
    for (const std::uint32_t f : info.facts_read) reads += "<li>" + fact_link(f, root) + "</li>";
    if (!sets_aside.empty()) item("Écarte", "<ul>" + sets_aside + "</ul>");
    if (!set_aside_by.empty()) item("Est écartée par", "<ul>" + set_aside_by + "</ul>");
    if (!reads.empty()) item("Faits lus", "<ul>" + reads + "</ul>");
    body += "</dl>\n";
    if (model_) {
      std::string tests;
      for (const ast::TestDecl& t : model_->ast.tests) {
        for (const ast::Expectation& e : t.expect) {
          if (e.name != info.name) continue;
          const char* what = e.kind == ast::ExpectKind::Fired      ? "la montre appliquée"
                             : e.kind == ast::ExpectKind::NotFired ? "la montre non appliquée"
                                                                   : "la montre appliquée sous réserve";
          tests += fmt::format("<li>« {} » — {}</li>\n", html(t.name), what);
          break;
        }
      }
      body += "<h2>Tests</h2>\n" +
              (tests.empty() ? std::string("<p>Aucun test ne nomme cette règle.</p>\n") : "<ul>\n" + tests + "</ul>\n");
    }
    if (!examples_.empty()) {
      std::string decided;
      for (std::size_t k = 0; k < examples_.size(); ++k) {
        const Truth t = applies_[k][r];
        if (t == Truth::False) continue;
        decided += fmt::format("<li>{} — {}</li>\n", html(fs::path(examples_[k].first).filename().string()),
                               t == Truth::True ? "s'applique" : "peut s'appliquer (des faits restent inconnus)");
      }
      body += "<h2>Exemples</h2>\n" + (decided.empty()
                                           ? std::string("<p>La règle ne s'applique à aucun des exemples.</p>\n")
                                           : "<ul>\n" + decided + "</ul>\n");
    }
    return wrap_page(info.title.empty() ? info.name : info.title, root, body);
  }

  std::string fact_page(std::uint32_t f) const {
    const FactInfo& fact = p_.facts[f];
    const std::string root = "../";
    std::string body = fmt::format("<h1><code>{}</code></h1>\n<dl>\n", html(fact.name));
    const auto item = [&](const char* term, const std::string& value_html) {
      if (!value_html.empty()) body += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, value_html);
    };
    item("Question", html(p_.question_of(f, TextLang::French)));
    item("Aide", html(p_.help_of(f, TextLang::French)));
    item("Thème", html(theme_of(fact)));
    item("Type", html(p_.type_name(fact.type)));
    if (fact.type.kind == TypeKind::Enum && fact.type.enum_id < p_.enums.size()) {
      std::string members;
      const EnumInfo& e = p_.enums[fact.type.enum_id];
      for (std::uint32_t m = 0; m < e.members.size(); ++m) {
        members += fmt::format("<li><code>{}</code> — {}</li>", html(e.members[m]),
                               html(p_.member_label(fact.type.enum_id, m, TextLang::French)));
      }
      item("Membres", "<ul>" + members + "</ul>");
    }
    if (fact.default_kind == DefaultKind::Today) item("Par défaut", "aujourd'hui");
    if (fact.default_kind == DefaultKind::Constant)
      item("Par défaut", html(rule_literal(p_, fact.type, fact.default_value, keywords_)));
    std::string readers;
    for (std::uint32_t r = 0; r < p_.rules.size(); ++r) {
      const auto& read = p_.rules[r].facts_read;
      if (std::find(read.begin(), read.end(), f) != read.end()) readers += "<li>" + rule_link(r, root) + "</li>";
    }
    item("Règles qui le lisent", readers.empty() ? "aucune" : "<ul>" + readers + "</ul>");
    body += "</dl>\n";
    return wrap_page(fact.name, root, body);
  }

  std::string definition_page(const DefinitionText& d) const {
    const std::string root = "../";
    std::string body =
        fmt::format("<h1>définition <code>{}</code></h1>\n<pre>{}</pre>\n", html(d.name), linked(d.body, root));
    std::string users;
    for (std::uint32_t r = 0; r < p_.rules.size() && r < code_.when.size(); ++r) {
      if (mentions(code_.when[r], d.name)) users += "<li>" + rule_link(r, root) + "</li>";
    }
    std::string defs;
    for (const DefinitionText& other : code_.definitions) {
      if (other.name != d.name && mentions(other.body, d.name)) {
        defs += fmt::format("<li><a href=\"{}\">{}</a></li>", html(other.name + ".html"), html(other.name));
      }
    }
    body += "<h2>Règles qui l'utilisent</h2>\n" +
            (users.empty() ? std::string("<p>aucune</p>\n") : "<ul>" + users + "</ul>\n");
    if (!defs.empty()) body += "<h2>Définitions qui l'utilisent</h2>\n<ul>" + defs + "</ul>\n";
    return wrap_page(d.name, root, body);
  }

  static bool mentions(std::string_view text, std::string_view name) {
    for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
      const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
      const bool before = at == 0 || !word(text[at - 1]);
      const bool after = at + name.size() == text.size() || !word(text[at + name.size()]);
      if (before && after) return true;
    }
    return false;
  }

  const Program& p_;
  const Model* model_;
  std::vector<std::pair<std::string, BoundCase>> examples_;
  Keywords keywords_;
  Decompiled code_;
  std::set<std::string> facts_, definitions_;
  std::vector<std::vector<std::uint32_t>> overridden_by_;
  std::vector<std::vector<Truth>> applies_;
};

// The case files `paths` names: files as given, folders' `.fact` files (recursively) in name order.
std::vector<std::string> case_files(const std::vector<std::string>& paths, std::string& err, bool& ok) {
  std::vector<std::string> out;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& e : fs::recursive_directory_iterator(path, ec)) {
        if (e.path().extension() == ".fact") found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      out.push_back(path);
    } else {
      err += fmt::format("secretc: error: `{}` is neither a case file nor a folder\n", path);
      ok = false;
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> doc_pages(const Program& program, const Model* model,
                                             std::vector<std::pair<std::string, BoundCase>> examples) {
  return Site(program, model, std::move(examples)).pages();
}

int run_doc(const DocOptions& options, std::string_view embedded, Output& o) {
  // The program; and the model when the rulebase is compiled from sources (its tests are in them).
  std::optional<Program> program;
  std::optional<Model> model;
  const bool sources = !options.rules.empty() && !(options.rules.size() == 1 && options.rules[0].ends_with(".secbc"));
  if (sources) {
    Compilation c = compile_paths(options.rules);
    o.err += render_all(c.diags, c.sources);
    program = std::move(c.program);
    model = std::move(c.model);
  } else {
    program = load_rules(options.rules, embedded, o.err);
  }
  if (!program) return 1;

  std::vector<std::pair<std::string, BoundCase>> examples;
  bool ok = true;
  const std::vector<std::string> files = case_files(options.examples, o.err, ok);
  if (!ok) return 1;
  for (const std::string& file : files) {
    SourceSet case_sources;
    Diagnostics diags;
    std::string text;
    Message error;
    if (!read_file(file, text, kMaxCaseFileBytes, error)) {
      o.err += fmt::format("secretc: error: {}\n", message_text(error, TextLang::English));
      return 1;
    }
    const std::uint32_t id = case_sources.add(file, std::move(text));
    const std::vector<CaseEntry> entries = parse_case(case_sources, id, diags);
    BoundCase bound = diags.has_errors() ? BoundCase{} : bind_case(*program, entries, today_days(), diags);
    if (diags.has_errors()) {
      o.err += render_all(diags, case_sources);
      return 1;
    }
    examples.emplace_back(file, std::move(bound));
  }

  // The folder: new, empty, or written by an earlier `secretc doc` (its marker says so); anything else
  // might be someone's files, and is left alone.
  const fs::path out(options.output);
  std::error_code ec;
  if (fs::exists(out, ec) &&
      (!fs::is_directory(out, ec) || (!fs::is_empty(out, ec) && !fs::exists(out / kMarker, ec)))) {
    o.err += fmt::format("secretc: error: `{}` holds files `secretc doc` did not write; name a new or empty folder\n",
                         options.output);
    return 2;
  }
  std::map<std::string, std::string> pages = doc_pages(*program, model ? &*model : nullptr, std::move(examples));
  const std::size_t count = pages.size();
  pages[kMarker] = "Written by `secretc doc`: the next `secretc doc -o` into this folder replaces it whole.\n";
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  const fs::path staging = parent / fmt::format(".{}.secretc-doc-{}", out.filename().string(), ::getpid());
  fs::remove_all(staging, ec);
  for (const auto& [name, text] : pages) {
    fs::create_directories((staging / name).parent_path(), ec);
    if (const std::string error = write_file_atomically((staging / name).string(), text); !error.empty()) {
      fs::remove_all(staging, ec);
      o.err += fmt::format("secretc: error: {}\n", error);
      return 1;
    }
  }
  fs::remove_all(out, ec);
  fs::rename(staging, out, ec);
  if (ec) {
    fs::remove_all(staging, ec);
    o.err += fmt::format("secretc: error: cannot write `{}`: {}\n", options.output, ec.message());
    return 1;
  }
  o.out += fmt::format("{} pages written to {}\n", count, options.output);
  return 0;
}

}  // namespace secretc
