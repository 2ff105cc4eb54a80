#include "engine/compose/PromptReader.h"

#include <algorithm>
#include <map>

namespace engine {

namespace {

// Spellings are as the tokeniser leaves them: lower case, split at anything that is not a letter or digit, and at
// letter/digit boundaries ("80s" -> "80 s", "lo-fi" -> "lo fi"); '&' is a token of its own. Alternatives are
// separated by '|', the tokens of one by spaces.

struct GenreWords
{
    const char* id;
    int priority; ///< the more specific style wins when a prompt names several ("lo-fi hip hop")
    const char* phrases;
};

constexpr GenreWords Genres[] = {
    {"lofi", 10,
     "lofi|lo fi|low fi|lofi hip hop|lo fi hip hop|lofi hiphop|lo fi hiphop|chillhop|jazzhop|"
     "jazz hop|lofi beat|lo fi beat|chill beats|study beats|chill hop"},
    {"dnb", 9,
     "drum and bass|drum n bass|drum & bass|drumnbass|dnb|d & b|d n b|jungle|liquid dnb|"
     "neurofunk|breakbeat"},
    {"synthwave", 9, "synthwave|synth wave|retrowave|outrun|vaporwave|chillwave|darksynth|synthpop|synth pop"},
    {"techno", 8, "techno|acid|rave|industrial|trance|hard techno|minimal techno"},
    {"house", 8, "house|deep house|tech house|disco|nu disco|garage|uk garage"},
    {"reggae", 8, "reggae|dub|ska|dancehall|rocksteady|roots reggae"},
    {"funk", 8, "funk|funky|p funk|g funk"},
    {"jazz", 7, "jazz|jazzy|bebop|be bop|bossa|bossa nova|swing jazz|jazz trio|big band"},
    {"cinematic", 6,
     "cinematic|orchestral|orchestra|film score|movie score|soundtrack|score|trailer|"
     "symphonic|epic score|film music|game music|video game"},
    {"ambient", 6, "ambient|drone|soundscape|new age|space music"},
    {"classical", 6,
     "classical|baroque|sonata|symphony|concerto|nocturne|etude|minuet|waltz|chamber|"
     "romantic era|classical music"},
    {"folk", 6, "folk|country|bluegrass|celtic|americana|singer songwriter|irish|folksy"},
    {"hiphop", 5, "hip hop|hiphop|hip hop beat|rap|boom bap|boombap|trap|r & b|rnb|r n b|old school hip hop"},
    {"rock", 5,
     "rock|punk|metal|grunge|indie rock|hard rock|rock n roll|rock and roll|surf rock|"
     "post rock|alt rock|alternative rock"},
    {"pop", 4, "pop|k pop|kpop|indie pop|dance pop|electropop|pop song|pop music"},
    {"house", 3, "edm|dance|club|dance music|electronic dance"},
    {"jazz", 3, "blues|bluesy|lounge"},
    {"synthwave", 2, "80 s|eighties|retro"},
    {"folk", 2, "acoustic"},
    {"hiphop", 2, "beats|beat tape"},
};

/// A mood or an instrument and the phrases that name it.
struct Words
{
    const char* id;
    const char* phrases;
};

constexpr Words Moods[] = {
    {"sad", "sad|sadness|sorrow|sorrowful|tearful|heartbroken|heartbreak|crying|grief|grieving|"
            "depressing|depressed|lonely|loneliness|tragic|mournful"},
    {"dark", "dark|darker|gloomy|sinister|ominous|menacing|somber|sombre|haunting|haunted|eerie|"
             "spooky|creepy|horror|grim|brooding"},
    {"happy", "happy|happiness|joyful|joyous|joy|cheerful|cheery|bright|sunny|fun|playful|carefree|"
              "upbeat|feel good|summer|summery"},
    {"calm", "calm|calming|peaceful|serene|tranquil|relaxing|relaxed|relax|quiet|meditative|"
             "meditation|sleep|sleepy|slow"},
    {"epic", "epic|heroic|triumphant|majestic|grand|powerful|anthemic|victorious|legendary|huge|"
             "massive|adventure|adventurous|battle"},
    {"dreamy", "dreamy|dream|dreams|dreamlike|ethereal|floating|hazy|spacey|spacy|atmospheric|lush|airy|"
               "celestial|cosmic"},
    {"energetic", "energetic|energy|driving|intense|fast|pumping|hype|hyped|exciting|excited|dynamic|"
                  "lively|uptempo|up tempo|banger|workout|party"},
    {"melancholic", "melancholic|melancholy|melancholia|wistful|bittersweet|longing|yearning|rainy|rain"},
    {"soothing", "soothing|soothe|soft|gentle|warm|comforting|cozy|cosy|tender|healing"},
    {"chill", "chill|chilled|chillout|chill out|laid back|laidback|mellow|easygoing|easy going|lazy|"
              "smooth|vibe|vibey|study|studying|focus"},
    {"uplifting", "uplifting|hopeful|inspiring|inspirational|optimistic|euphoric|positive|motivational|"
                  "triumph"},
    {"romantic", "romantic|romance|love|loving|sentimental|sensual"},
    {"mysterious", "mysterious|mystery|mystical|enigmatic|suspense|suspenseful|magical|magic"},
    {"tense", "tense|tension|anxious|urgent|thriller|nervous|chase"},
    {"nostalgic", "nostalgic|nostalgia|memories|childhood"},
    {"groovy", "groovy|groove|danceable|bouncy|bounce"},
    {"aggressive", "aggressive|angry|fierce|heavy|hard hitting|brutal|rage|raw"},
    {"vintage", "vintage|vinyl|crackle|crackling|tape|cassette|dusty|old school|oldschool|old|"
                "analog warmth"},
};

constexpr Words Instruments[] = {
    {"piano", "piano|pianos|grand piano|upright piano|keys|keyboard|keyboards|pianist|piano chords|"
              "felt piano"},
    {"epiano", "electric piano|e piano|epiano|rhodes|fender rhodes|wurlitzer|wurli"},
    {"organ", "organ|organs|hammond|hammond organ|b3|church organ|melodica"},
    {"guitar", "guitar|guitars|acoustic guitar|electric guitar|guitarist|ukulele|banjo|mandolin|"
               "nylon guitar|lead guitar|guitar riff|guitar solo|riff|riffs|strum|strumming"},
    {"bass", "bass|basses|bassline|bass line|808|808s|sub bass|subbass|sub|double bass|upright bass|"
             "bass guitar|contrabass|electric bass|synth bass"},
    {"drums", "drums|drum|drum kit|drumkit|percussion|percussive|beat|drum machine|909|kick|snare|"
              "hi hat|hi hats|hihat|hihats|hats|drummer|groove drums|breaks|drum loop"},
    {"strings", "strings|string|violin|violins|viola|violas|cello|cellos|fiddle|string section|"
                "string quartet|string ensemble|orchestral strings|pizzicato"},
    {"pad", "pad|pads|synth pad|synth pads|warm pad|drones"},
    {"synth", "synth|synths|synthesizer|synthesizers|synthesiser|synthesisers|lead|lead synth|"
              "synth lead|arp|arps|arpeggio|arpeggios|arpeggiator|moog|analog synth|analogue synth|saw|"
              "supersaw|chiptune|8 bit"},
    {"bells", "bells|bell|chimes|chime|glockenspiel|glock|celesta|music box|musicbox|carillon|"
              "tubular bells|toy piano"},
    {"flute", "flute|flutes|piccolo|recorder|pan flute|panflute|woodwind|woodwinds|clarinet|oboe|"
              "bansuri|whistle|ocarina"},
    {"brass", "brass|trumpet|trumpets|horn|horns|french horn|french horns|trombone|trombones|tuba|"
              "horn section|brass section|cornet|flugelhorn"},
    {"sax", "sax|saxophone|saxophones|tenor sax|alto sax|soprano sax|saxophonist"},
    {"choir", "choir|choirs|vocals|vocal|voice|voices|chorus|chant|chanting|humming|vox|singing|singer|"
              "aahs|ooh"},
    {"harp", "harp|harps|lyre|koto|zither|kalimba|sitar"},
    {"marimba", "marimba|xylophone|vibraphone|mallets|mallet|steel drum|steel drums|steelpan|steel pan"},
};

enum class Kind
{
    Genre,
    Mood,
    Instrument
};

struct Phrase
{
    std::vector<std::string> tokens;
    Kind kind;
    const char* id;
    int priority; ///< genres only
};

/// The non-empty pieces of `text` between `separator`s.
std::vector<std::string_view> split(std::string_view text, char separator)
{
    std::vector<std::string_view> pieces;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(separator, start);
        if (end == std::string_view::npos)
            end = text.size();
        if (end > start)
            pieces.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return pieces;
}

using PhraseIndex = std::map<std::string, std::vector<Phrase>>;

void addPhrases(PhraseIndex& index, Kind kind, const char* id, int priority, std::string_view phrases)
{
    for (const std::string_view alternative : split(phrases, '|')) {
        Phrase phrase{{}, kind, id, priority};
        for (const std::string_view token : split(alternative, ' '))
            phrase.tokens.emplace_back(token);
        if (!phrase.tokens.empty())
            index[phrase.tokens.front()].push_back(std::move(phrase));
    }
}

/// Phrases by their first token, longest first, so the first match at a position is the longest.
const PhraseIndex& phraseIndex()
{
    static const PhraseIndex index = [] {
        PhraseIndex built;
        for (const GenreWords& genre : Genres)
            addPhrases(built, Kind::Genre, genre.id, genre.priority, genre.phrases);
        for (const Words& mood : Moods)
            addPhrases(built, Kind::Mood, mood.id, 0, mood.phrases);
        for (const Words& instrument : Instruments)
            addPhrases(built, Kind::Instrument, instrument.id, 0, instrument.phrases);
        for (auto& [first, phrases] : built) {
            std::stable_sort(phrases.begin(), phrases.end(),
                             [](const Phrase& a, const Phrase& b) { return a.tokens.size() > b.tokens.size(); });
        }
        return built;
    }();
    return index;
}

bool isLetter(char c)
{
    return c >= 'a' && c <= 'z';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// "f", "f#", "bb", "eb" -> pitch class; -1 otherwise.
int notePitchClass(std::string_view token)
{
    if (token.empty() || token.size() > 2 || token[0] < 'a' || token[0] > 'g')
        return -1;
    constexpr int Naturals[] = {9, 11, 0, 2, 4, 5, 7}; // a b c d e f g
    int pc = Naturals[token[0] - 'a'];
    if (token.size() == 2) {
        if (token[1] == '#')
            pc += 1;
        else if (token[1] == 'b')
            pc += 11;
        else
            return -1;
    }
    return pc % 12;
}

/// "major", "maj" -> 0; "minor", "min" -> 1; else -1.
int modeWord(std::string_view token)
{
    if (token == "major" || token == "maj")
        return 0;
    if (token == "minor" || token == "min")
        return 1;
    return -1;
}

/// "am", "c#m", "ebmin", "fmaj", "dminor" -> root and mode; false otherwise.
bool compactKey(std::string_view token, int& root, int& mode)
{
    for (const std::size_t noteLength : {std::size_t{2}, std::size_t{1}}) {
        if (token.size() <= noteLength)
            continue;
        const int pc = notePitchClass(token.substr(0, noteLength));
        if (pc < 0)
            continue;
        const std::string_view rest = token.substr(noteLength);
        const int m = rest == "m" ? 1 : modeWord(rest);
        if (m < 0)
            continue;
        root = pc;
        mode = m;
        return true;
    }
    return false;
}

/// Parses "90" or "92.5"; false for anything else or absurd lengths.
bool parseNumber(std::string_view token, double& value)
{
    if (token.empty() || token.size() > 8 || !isDigit(token[0]))
        return false;
    double whole = 0;
    double fraction = 0;
    double scale = 1;
    bool afterPoint = false;
    for (const char c : token) {
        if (c == '.') {
            if (afterPoint)
                return false;
            afterPoint = true;
        } else if (isDigit(c)) {
            if (afterPoint) {
                scale /= 10;
                fraction += (c - '0') * scale;
            } else {
                whole = whole * 10 + (c - '0');
            }
        } else {
            return false;
        }
    }
    value = whole + fraction;
    return true;
}

constexpr double MinPromptBpm = 20;
constexpr double MaxPromptBpm = 400;

} // namespace

PromptReader::PromptReader(std::string_view utf8Prompt)
{
    tokenise(utf8Prompt);
    for (std::size_t i = 0; i < m_tokens.size();) {
        const std::string& word = m_tokens[i].text;
        if (word == "no" || word == "without" || word == "minus" || word == "sans" || word == "not" ||
            word == "except") {
            m_negatedUntil = i + 4;
        }
        if (readTempo(i) || readPhrase(i) || readKey(i))
            continue;
        ++i;
    }
    for (const std::string& excluded : m_traits.excludedInstruments)
        std::erase(m_traits.instruments, excluded);
}

void PromptReader::tokenise(std::string_view text)
{
    Token current;
    bool punctuation = false;
    auto flush = [&] {
        if (!current.text.empty()) {
            current.afterPunctuation = punctuation;
            punctuation = false;
            m_tokens.push_back(std::move(current));
        }
        current = Token{};
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char raw = text[i];
        const bool upper = raw >= 'A' && raw <= 'Z';
        const char c = upper ? static_cast<char>(raw - 'A' + 'a') : raw;
        // U+266F MUSIC SHARP SIGN and U+266D MUSIC FLAT SIGN, in UTF-8.
        if (static_cast<unsigned char>(c) == 0xE2 && i + 2 < text.size() &&
            static_cast<unsigned char>(text[i + 1]) == 0x99 &&
            (static_cast<unsigned char>(text[i + 2]) == 0xAF || static_cast<unsigned char>(text[i + 2]) == 0xAD)) {
            if (!current.text.empty() && !current.number)
                current.text += static_cast<unsigned char>(text[i + 2]) == 0xAF ? '#' : 'b';
            i += 2;
            continue;
        }
        if (isLetter(c)) {
            if (current.number)
                flush();
            if (current.text.empty())
                current.capitalised = upper;
            current.text += c;
        } else if (isDigit(c) || (c == '.' && current.number && i + 1 < text.size() && isDigit(text[i + 1]))) {
            if (!current.text.empty() && !current.number)
                flush();
            current.number = true;
            current.text += c;
        } else if (c == '#' && !current.text.empty() && !current.number) {
            current.text += c;
        } else if (c == '&') {
            flush();
            current.text = "&";
            flush();
        } else {
            flush();
            // Hyphens, apostrophes and spaces join words into phrases ("lo-fi", "drum'n'bass"); list and sentence
            // punctuation separates them ("synth, pad" is two instruments, not a synth pad).
            if (c == ',' || c == ';' || c == ':' || c == '.' || c == '!' || c == '?' || c == '/' || c == '(' ||
                c == ')' || c == '[' || c == ']' || c == '\n' || c == '|' || c == '+')
                punctuation = true;
        }
    }
    flush();
}

const std::string& PromptReader::text(std::size_t i) const
{
    static const std::string none;
    return i < m_tokens.size() ? m_tokens[i].text : none;
}

void PromptReader::addUnique(std::vector<std::string>& list, const std::string& id)
{
    if (std::find(list.begin(), list.end(), id) == list.end())
        list.push_back(id);
}

bool PromptReader::readTempo(std::size_t& i)
{
    double value = 0;
    std::size_t used = 0;
    if (m_tokens[i].number && parseNumber(text(i), value)) {
        const std::string& unit = text(i + 1);
        if (unit == "bpm" || unit == "bpms")
            used = 2;
        else if (unit == "b" && text(i + 2) == "p" && text(i + 3) == "m")
            used = 4;
        else if ((unit == "beats" || unit == "beat") && text(i + 2) == "per" &&
                 (text(i + 3) == "minute" || text(i + 3) == "min"))
            used = 4;
    } else if (text(i) == "bpm" || text(i) == "tempo") {
        std::size_t j = i + 1;
        if (text(j) == "of" || text(j) == "at" || text(j) == "is" || text(j) == "around" || text(j) == "about")
            ++j;
        if (j < m_tokens.size() && m_tokens[j].number && parseNumber(text(j), value))
            used = j + 1 - i;
    }
    if (used == 0)
        return false;
    if (m_traits.bpm == 0 && value >= MinPromptBpm && value <= MaxPromptBpm)
        m_traits.bpm = value;
    i += used;
    return true;
}

bool PromptReader::readPhrase(std::size_t& i)
{
    const auto& index = phraseIndex();
    const auto found = index.find(m_tokens[i].text);
    if (found == index.end())
        return false;
    for (const Phrase& phrase : found->second) {
        if (i + phrase.tokens.size() > m_tokens.size())
            continue;
        bool matches = true;
        for (std::size_t k = 1; k < phrase.tokens.size() && matches; ++k)
            matches = m_tokens[i + k].text == phrase.tokens[k] && !m_tokens[i + k].afterPunctuation;
        if (!matches)
            continue;
        switch (phrase.kind) {
        case Kind::Genre:
            if (phrase.priority > m_genrePriority) {
                m_traits.genre = phrase.id;
                m_genrePriority = phrase.priority;
            }
            break;
        case Kind::Mood: addUnique(m_traits.moods, phrase.id); break;
        case Kind::Instrument:
            // A negation covers the next instrument only: "no drums, piano and bass" keeps the piano.
            addUnique(i < m_negatedUntil ? m_traits.excludedInstruments : m_traits.instruments, phrase.id);
            m_negatedUntil = 0;
            break;
        }
        i += phrase.tokens.size();
        return true;
    }
    return false;
}

bool PromptReader::readKey(std::size_t& i)
{
    const Token& token = m_tokens[i];
    const std::string& before = i > 0 ? text(i - 1) : text(m_tokens.size());
    const bool keyContext = before == "in" || before == "key" || (before == "of" && i >= 2 && text(i - 2) == "key");
    auto setKey = [&](int root, int mode) {
        if (m_traits.keyRoot < 0 && root >= 0)
            m_traits.keyRoot = root;
        if (m_traits.keyMode < 0 && mode >= 0)
            m_traits.keyMode = mode;
    };

    int root = notePitchClass(token.text);
    if (root >= 0) {
        // "A, minor chords" is not A minor: the accidental and the mode must follow without punctuation.
        auto joined = [&](std::size_t k) { return k < m_tokens.size() && !m_tokens[k].afterPunctuation; };
        std::size_t j = i + 1;
        if (joined(j) && text(j) == "sharp") {
            root = (root + 1) % 12;
            ++j;
        } else if (joined(j) && text(j) == "flat") {
            root = (root + 11) % 12;
            ++j;
        }
        const int mode = joined(j) ? modeWord(text(j)) : -1;
        if (mode >= 0) {
            // "in a minor key" asks for some minor key; "in A minor" and "in a minor" name one.
            if (token.text == "a" && !token.capitalised && text(j + 1) == "key")
                setKey(-1, mode);
            else
                setKey(root, mode);
            i = j + 1;
            return true;
        }
        // Without a mode word only a key context makes a letter a key, and a lower-case "a" stays an article.
        const bool article = token.text == "a" && !token.capitalised && before != "key" && before != "of";
        if (keyContext && !article) {
            setKey(root, -1);
            i = j;
            return true;
        }
        return false;
    }

    int mode = -1;
    if (compactKey(token.text, root, mode) && (keyContext || text(i + 1) == "key")) {
        setKey(root, mode);
        ++i;
        return true;
    }
    const int bareMode = modeWord(token.text);
    if (bareMode >= 0 && (token.text == "major" || token.text == "minor")) {
        setKey(-1, bareMode);
        ++i;
        return true;
    }
    return false;
}

} // namespace engine
