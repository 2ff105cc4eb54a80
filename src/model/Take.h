#pragma once

#include "model/AudioFormat.h"
#include "model/GenerationRequest.h"
#include "model/MusicAnalysis.h"

#include <QDateTime>
#include <QMetaType>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <utility>

/// One stored generation: the recipe that made it, where its audio lives and what the musician said about it.
/// A plain value; the Library reads and writes it.
struct Take
{
    QString id;        ///< 10 characters of lower-case base32 (a-z, 2-7); stable and never reused
    QDateTime created; ///< UTC, millisecond precision
    QString prompt;
    int requestedDuration = 0; ///< seconds asked for
    double actualDuration = 0; ///< seconds in the audio
    int seed = 0;
    QString provider; ///< "segmind", "offline", or "unknown" for audio re-attached without a recipe
    QString endpoint;
    QString model;
    AudioFormat format = AudioFormat::Unknown;
    int sampleRate = 0;
    int channels = 0;
    qint64 byteSize = 0;
    QString sha256; ///< lower-case hex of the audio bytes
    qint64 generationMs = 0;
    int attempts = 0;
    double estimatedCost = 0;         ///< dollars, from the cost per take in the settings
    std::optional<double> serverCost; ///< dollars, as the server said (x-cost, metrics.cost); else nothing
    QString requestId;                ///< the server's id for the request, as Segmind's console lists it
    std::optional<double> remainingCredits;
    bool favourite = false;
    int rating = 0; ///< 0..5
    QStringList tags;
    QString note;
    bool trashed = false;
    bool audioMissing = false; ///< the audio file is gone; the take is kept so nothing disappears silently
    QString parentId;          ///< the take this one was made from, else empty
    /// A loop cut from the parent's bars: bars loopStartBar to loopStartBar + loopBars - 1, bar 0 beginning at the
    /// parent's first downbeat. loopBars 0: not a loop.
    int loopStartBar = 0;
    int loopBars = 0;
    QString audioRelativePath; ///< "clips/YYYY/MM/<id>.<ext>", relative to the library root
    QString favouritePath;     ///< absolute path of the favourite copy last saved, else empty
    /// How many changes the take has had. The index and the sidecar each keep it, so that when they disagree (a
    /// crash between writing one and the other) the copy with the higher revision is known to be the newer one.
    int revision = 0;

    // What listening to the take found (analysis/TakeAnalysis.h); for offline takes, the tempo and key the engine
    // composed. Each is filled once analysisVersion is set.
    int analysisVersion = 0;         ///< the analysis that filled the fields below; 0: not analysed yet
    double bpm = 0;                  ///< detected tempo; 0: none (no steady pulse, or too short to tell)
    double bpmConfidence = 0;        ///< 0..1
    double downbeatSeconds = 0;      ///< where the first bar starts: the beat grid is this plus whole beats
    std::optional<double> bpmByUser; ///< the musician's correction (x2, /2): wins over `bpm`, kept on re-analysis
    int keyRoot = -1;                ///< pitch class of the tonic 0..11; -1: no key found
    bool keyMinor = false;
    double keyConfidence = 0;           ///< 0..1
    std::optional<double> loudnessLufs; ///< integrated loudness, EBU R128; nothing for silence
    std::optional<double> truePeakDbtp; ///< highest true peak, dBTP

    /// What the take cost: the server's figure when it gave one, else the estimate.
    double cost() const { return serverCost.value_or(estimatedCost); }
    /// Where cost() comes from: "server" or "estimate".
    QString costSource() const { return QString::fromLatin1(serverCost ? "server" : "estimate"); }

    /// The tempo to trust: the musician's correction, else the detected one; 0 when unknown.
    double tempo() const { return bpmByUser.value_or(bpm); }
    MusicalKey key() const { return MusicalKey{keyRoot, keyMinor}; }

    /// The analysis the take keeps (the musician's tempo correction aside, which an analysis never changes).
    MusicAnalysis analysis() const
    {
        return MusicAnalysis{analysisVersion, bpm,           bpmConfidence, downbeatSeconds, {},
                             key(),           keyConfidence, loudnessLufs,  truePeakDbtp};
    }
    void setAnalysis(const MusicAnalysis& found)
    {
        analysisVersion = found.version;
        bpm = found.bpm;
        bpmConfidence = found.bpmConfidence;
        downbeatSeconds = found.downbeatSeconds;
        keyRoot = found.key.isValid() ? found.key.root : -1;
        keyMinor = found.key.isValid() && found.key.minor;
        keyConfidence = found.keyConfidence;
        loudnessLufs = found.loudnessLufs;
        truePeakDbtp = found.truePeakDbtp;
    }

    /// The request that makes this take again (same prompt, duration and seed).
    GenerationRequest request() const { return GenerationRequest{prompt, requestedDuration, seed}; }

    friend bool operator==(const Take&, const Take&) = default;
};
Q_DECLARE_METATYPE(Take)

/// Take ids: short enough to type, random enough never to collide in one library.
namespace TakeId {

inline constexpr int Length = 10;
inline constexpr char Alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

/// A fresh random id (50 bits from the system's random source).
inline QString generate()
{
    quint64 bits = QRandomGenerator::system()->generate64();
    QString id(Length, Qt::Uninitialized);
    for (int i = 0; i < Length; ++i, bits >>= 5)
        id[i] = QLatin1Char(Alphabet[bits & 31]);
    return id;
}

/// The value of one id character (0..31), or -1.
inline int digit(QChar c)
{
    if (c >= u'a' && c <= u'z')
        return c.unicode() - u'a';
    if (c >= u'2' && c <= u'7')
        return 26 + c.unicode() - u'2';
    return -1;
}

/// True when `text` has the shape of a whole id.
inline bool isValid(QStringView text)
{
    return text.size() == Length && std::all_of(text.begin(), text.end(), [](QChar c) { return digit(c) >= 0; });
}

/// The id as a 50-bit number (the database's row key), or -1 when it is not an id.
inline qint64 toNumber(QStringView id)
{
    if (!isValid(id))
        return -1;
    qint64 value = 0;
    for (const QChar c : id)
        value = value * 32 + digit(c);
    return value;
}

/// The numbers of all ids that start with `prefix` (at most Length characters of the alphabet): [first, last].
/// Empty (first > last) when the prefix has other characters.
inline std::pair<qint64, qint64> prefixRange(QStringView prefix)
{
    if (prefix.size() > Length)
        return {0, -1};
    qint64 value = 0;
    for (const QChar c : prefix) {
        if (digit(c) < 0)
            return {0, -1};
        value = value * 32 + digit(c);
    }
    const int shift = 5 * int(Length - prefix.size());
    return {value << shift, ((value + 1) << shift) - 1};
}

} // namespace TakeId
