#include "runtime/messages.hpp"

#include <array>

#include <fmt/args.h>

namespace secretc {

namespace {
struct Wording {
  const char* en;
  const char* fr;
  bool sentence;
};
constexpr std::array<Wording, static_cast<std::size_t>(Msg::Count_)> kWordings{{
#define SECRETC_MESSAGE(id, en, fr) {en, fr, false},
#define SECRETC_SENTENCE(id, en, fr) {en, fr, true},
#include "runtime/messages.def"
#undef SECRETC_SENTENCE
#undef SECRETC_MESSAGE
}};
constexpr std::array<std::string_view, static_cast<std::size_t>(Msg::Count_)> kNames{{
#define SECRETC_MESSAGE(id, en, fr) #id,
#define SECRETC_SENTENCE(id, en, fr) #id,
#include "runtime/messages.def"
#undef SECRETC_SENTENCE
#undef SECRETC_MESSAGE
}};
}  // namespace

std::optional<Msg> message_named(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Msg>(i);
  }
  return std::nullopt;
}

std::string_view message_name(Msg id) {
  return kNames.at(static_cast<std::size_t>(id));
}

bool message_is_sentence(Msg id) {
  return kWordings.at(static_cast<std::size_t>(id)).sentence;
}

const char* message_template(Msg id, TextLang lang) {
  const Wording& w = kWordings.at(static_cast<std::size_t>(id));
  return lang == TextLang::French ? w.fr : w.en;
}

std::string message_text(const Message& m, TextLang lang) {
  if (m.id == Msg::Count_) return {};
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const std::string& a : m.args) store.push_back(a);
  return fmt::vformat(message_template(m.id, lang), store);
}

}  // namespace secretc
