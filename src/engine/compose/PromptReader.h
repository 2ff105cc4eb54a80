#pragma once

#include "engine/SketchTypes.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

/// Reads genre, mood, instrument, tempo and key words from free text (see readPrompt()).
///
/// The text is cut into lower-case ASCII tokens (letters and digits split apart, so "90bpm" reads like "90 bpm");
/// then, at each token, the longest known phrase wins ("drum and bass" is a genre, not drums plus bass).
class PromptReader
{
public:
    explicit PromptReader(std::string_view utf8Prompt);

    const PromptTraits& traits() const { return m_traits; }

private:
    struct Token
    {
        std::string text;         ///< lower case
        bool capitalised = false; ///< first letter was upper case: "in A" names a key, "in a" does not
        bool number = false;
        bool afterPunctuation = false; ///< a comma, full stop... came before: phrases do not span it
    };

    void tokenise(std::string_view text);
    bool readTempo(std::size_t& i);
    bool readPhrase(std::size_t& i);
    bool readKey(std::size_t& i);
    const std::string& text(std::size_t i) const;
    void addUnique(std::vector<std::string>& list, const std::string& id);

    std::vector<Token> m_tokens;
    PromptTraits m_traits;
    int m_genrePriority = -1;
    std::size_t m_negatedUntil = 0; ///< instruments before this token index follow "no"/"without"
};

/// True when a list of ids as PromptTraits holds them (moods, instruments...) has `id`.
inline bool listed(const std::vector<std::string>& ids, std::string_view id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

} // namespace engine
