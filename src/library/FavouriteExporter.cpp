#include "library/FavouriteExporter.h"

#include "library/TakeSidecar.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QTemporaryFile>

#include <sndfile.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

void setError(QString* error, const QString& text)
{
    if (error)
        *error = text;
}

// libsndfile reads and writes through these callbacks, so tagging never needs a temporary file.
struct MemoryStream
{
    QByteArray data;
    sf_count_t position = 0;
};

SF_VIRTUAL_IO memoryIo()
{
    SF_VIRTUAL_IO io{};
    io.get_filelen = [](void* user) -> sf_count_t { return static_cast<MemoryStream*>(user)->data.size(); };
    io.seek = [](sf_count_t offset, int whence, void* user) -> sf_count_t {
        auto* s = static_cast<MemoryStream*>(user);
        const sf_count_t base = whence == SEEK_CUR ? s->position : whence == SEEK_END ? s->data.size() : 0;
        if (base + offset < 0)
            return -1;
        s->position = base + offset;
        return s->position;
    };
    io.read = [](void* destination, sf_count_t count, void* user) -> sf_count_t {
        auto* s = static_cast<MemoryStream*>(user);
        const sf_count_t n = std::clamp<sf_count_t>(s->data.size() - s->position, 0, count);
        if (n > 0)
            std::memcpy(destination, s->data.constData() + s->position, size_t(n));
        s->position += n;
        return n;
    };
    io.write = [](const void* source, sf_count_t count, void* user) -> sf_count_t {
        auto* s = static_cast<MemoryStream*>(user);
        if (s->position + count > s->data.size())
            s->data.resize(qsizetype(s->position + count), '\0');
        std::memcpy(s->data.data() + s->position, source, size_t(count));
        s->position += count;
        return count;
    };
    io.tell = [](void* user) -> sf_count_t { return static_cast<MemoryStream*>(user)->position; };
    return io;
}

struct SndFileCloser
{
    void operator()(SNDFILE* file) const { sf_close(file); }
};
using SndFilePtr = std::unique_ptr<SNDFILE, SndFileCloser>;

// Tag text is stored as C strings (libsndfile) or NUL-separated lists (ID3v2.4): a NUL would cut it short.
QByteArray tagText(const QString& text)
{
    QByteArray utf8 = text.toUtf8();
    utf8.replace('\0', "");
    return utf8;
}

// Re-writes the audio through libsndfile with the same container and sample format, setting the string tags
// before any audio (FLAC and Ogg write them in their headers). Integer PCM goes through int samples and float PCM
// through doubles, which libsndfile converts exactly, so WAV and FLAC stay lossless.
std::optional<QByteArray> rewriteWithStrings(const QByteArray& audio, const EmbeddedTags& tags, QString* error)
{
    MemoryStream input{audio, 0};
    SF_VIRTUAL_IO inputIo = memoryIo();
    SF_INFO info{};
    SndFilePtr reader(sf_open_virtual(&inputIo, SFM_READ, &info, &input));
    if (!reader) {
        setError(error, QString::fromUtf8(sf_strerror(nullptr)));
        return std::nullopt;
    }
    MemoryStream output;
    SF_VIRTUAL_IO outputIo = memoryIo();
    SF_INFO outputInfo{};
    outputInfo.samplerate = info.samplerate;
    outputInfo.channels = info.channels;
    outputInfo.format = info.format;
    if (!sf_format_check(&outputInfo)) {
        setError(error,
                 QCoreApplication::translate("FavouriteExporter", "libsndfile cannot write this sample format back"));
        return std::nullopt;
    }
    {
        SndFilePtr writer(sf_open_virtual(&outputIo, SFM_WRITE, &outputInfo, &output));
        if (!writer) {
            setError(error, QString::fromUtf8(sf_strerror(nullptr)));
            return std::nullopt;
        }
        const QByteArray title = tagText(tags.title), comment = tagText(tags.comment),
                         software = tagText(tags.software);
        if (sf_set_string(writer.get(), SF_STR_TITLE, title.constData()) != 0 ||
            sf_set_string(writer.get(), SF_STR_COMMENT, comment.constData()) != 0 ||
            sf_set_string(writer.get(), SF_STR_SOFTWARE, software.constData()) != 0) {
            setError(error, QString::fromUtf8(sf_strerror(writer.get())));
            return std::nullopt;
        }
        const int subtype = info.format & SF_FORMAT_SUBMASK;
        if (subtype == SF_FORMAT_VORBIS || subtype == SF_FORMAT_OPUS) {
            // Ogg can only be tagged while encoding: encode at high quality so the second generation loses little.
            double quality = 0.9;
            sf_command(writer.get(), SFC_SET_VBR_ENCODING_QUALITY, &quality, sizeof quality);
        }
        const bool integer = subtype == SF_FORMAT_PCM_S8 || subtype == SF_FORMAT_PCM_U8 ||
                             subtype == SF_FORMAT_PCM_16 || subtype == SF_FORMAT_PCM_24 || subtype == SF_FORMAT_PCM_32;
        constexpr sf_count_t chunkFrames = 8192;
        const size_t samples = size_t(chunkFrames) * size_t(std::max(1, info.channels));
        std::vector<int> ints(integer ? samples : 0);
        std::vector<double> doubles(integer ? 0 : samples);
        for (;;) {
            const sf_count_t n = integer ? sf_readf_int(reader.get(), ints.data(), chunkFrames)
                                         : sf_readf_double(reader.get(), doubles.data(), chunkFrames);
            if (n <= 0)
                break;
            const sf_count_t written = integer ? sf_writef_int(writer.get(), ints.data(), n)
                                               : sf_writef_double(writer.get(), doubles.data(), n);
            if (written != n) {
                setError(error, QString::fromUtf8(sf_strerror(writer.get())));
                return std::nullopt;
            }
        }
    } // closing the writer finalises headers
    return output.data;
}

QByteArray synchsafe(quint32 value)
{
    QByteArray bytes(4, '\0');
    for (int i = 3; i >= 0; --i, value >>= 7)
        bytes[i] = char(value & 0x7f);
    return bytes;
}

QByteArray id3Frame(const char* id, const QByteArray& payload)
{
    return QByteArray(id, 4) + synchsafe(quint32(payload.size())) + QByteArray(2, '\0') + payload;
}

// An ID3v2.4 tag (UTF-8 text) in front of the MP3 frames, replacing an ID3v2 tag already there.
std::optional<QByteArray> tagMp3(const QByteArray& audio, const EmbeddedTags& tags, QString* error)
{
    qsizetype start = 0;
    if (audio.startsWith("ID3") && audio.size() >= 10) {
        quint32 size = 0;
        for (int i = 6; i < 10; ++i)
            size = (size << 7) | (uchar(audio[i]) & 0x7f);
        start = 10 + qsizetype(size) + ((uchar(audio[5]) & 0x10) ? 10 : 0);
    }
    if (start >= audio.size()) {
        setError(error, QCoreApplication::translate("FavouriteExporter", "the MP3 holds no audio after its tag"));
        return std::nullopt;
    }
    constexpr char Utf8 = 3;
    const QByteArray frames = id3Frame("TIT2", Utf8 + tagText(tags.title)) +
                              id3Frame("COMM", Utf8 + QByteArray("eng\0", 4) + tagText(tags.comment)) +
                              id3Frame("TSSE", Utf8 + tagText(tags.software));
    return QByteArray("ID3\x04\x00\x00", 6) + synchsafe(quint32(frames.size())) + frames + audio.mid(start);
}

bool isBidiControl(char32_t c)
{
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

bool isWindowsDeviceName(const QString& name)
{
    // Windows refuses these as a file's name before its first dot, whatever the extension and case.
    const QString stem = name.section(u'.', 0, 0).trimmed().toUpper();
    static const QStringList devices = {u"CON"_s, u"PRN"_s, u"AUX"_s, u"NUL"_s, u"CONIN$"_s, u"CONOUT$"_s};
    if (devices.contains(stem))
        return true;
    return stem.size() == 4 && (stem.startsWith("COM"_L1) || stem.startsWith("LPT"_L1)) &&
           (stem[3].isDigit() || stem[3] == u'\u00B9' || stem[3] == u'\u00B2' || stem[3] == u'\u00B3');
}

// Cuts at a character boundary so that at most `maxBytes` bytes of UTF-8 remain.
QString truncateUtf8(const QString& text, int maxBytes)
{
    int bytes = 0;
    qsizetype end = 0;
    while (end < text.size()) {
        const bool pair = text[end].isHighSurrogate() && end + 1 < text.size() && text[end + 1].isLowSurrogate();
        const char32_t c = pair ? QChar::surrogateToUcs4(text[end], text[end + 1]) : text[end].unicode();
        const int width = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        end += pair ? 2 : 1;
    }
    return text.left(end);
}

// Replaces or drops what no filesystem should see; keeps letters of every script, emoji and ordinary punctuation.
QString cleanCharacters(const QString& text)
{
    QString out;
    const QList<uint> codePoints = text.normalized(QString::NormalizationForm_C).toUcs4();
    for (const uint u : codePoints) {
        const auto c = char32_t(u);
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == u'/' || c == u'\\' || c == u':' || c == u'*' || c == u'?' ||
            c == u'<' || c == u'>' || c == u'|' || QChar::isSpace(c)) {
            out += u' ';
        } else if (c == u'"') {
            out += u'\'';
        } else if (isBidiControl(c) || c == 0xFEFF || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFD ||
                   QChar::category(c) == QChar::Other_NotAssigned) {
            continue;
        } else {
            out += QString::fromUcs4(&c, 1);
        }
    }
    return out.simplified();
}

QString trimEnds(QString text)
{
    qsizetype start = 0;
    while (start < text.size() && (text[start] == u'.' || text[start] == u' ' || text[start] == u'-'))
        ++start;
    qsizetype end = text.size();
    while (end > start && (text[end - 1] == u'.' || text[end - 1] == u' '))
        --end;
    return text.mid(start, end - start);
}

// The prompt as a name part: readable, at most ~100 bytes, cut at a word boundary when one is near.
QString promptField(const QString& prompt)
{
    constexpr int PromptBytes = 100;
    const QString clean = cleanCharacters(prompt);
    if (std::none_of(clean.begin(), clean.end(), [](QChar c) { return c.isLetterOrNumber(); }))
        return u"take"_s;
    QString cut = truncateUtf8(clean, PromptBytes);
    if (cut.size() < clean.size() && !clean[cut.size()].isSpace()) {
        const qsizetype space = cut.lastIndexOf(u' ');
        if (space > cut.size() / 2)
            cut.truncate(space);
    }
    return trimEnds(cut);
}

} // namespace

FavouriteExporter::FavouriteExporter(const QString& directory, const QString& fileNameTemplate)
    : m_directory(directory), m_template(fileNameTemplate)
{
}

QString FavouriteExporter::safeFileName(const QString& text, int maxBytes)
{
    QString name = trimEnds(cleanCharacters(text));
    if (isWindowsDeviceName(name))
        name.insert(name.section(u'.', 0, 0).size(), u'_');
    name = trimEnds(truncateUtf8(name, std::max(4, maxBytes)));
    return name.isEmpty() ? u"take"_s : name;
}

QString FavouriteExporter::baseName(const QString& fileNameTemplate, const Take& take, int maxBytes)
{
    QString name = fileNameTemplate.trimmed().isEmpty() ? u"{prompt}_{seed}_{duration}s"_s : fileNameTemplate;
    name.replace("{prompt}"_L1, promptField(take.prompt));
    name.replace("{seed}"_L1, QString::number(take.seed));
    name.replace("{duration}"_L1, QString::number(take.requestedDuration));
    name.replace("{id}"_L1, take.id);
    name.replace("{date}"_L1, take.created.toUTC().toString(u"yyyy-MM-dd"_s));
    name.replace("{provider}"_L1, take.provider);
    return safeFileName(name, maxBytes);
}

EmbeddedTags FavouriteExporter::tagsFor(const Take& take, AudioFormat format)
{
    EmbeddedTags tags{take.prompt, QString::fromUtf8(TakeSidecar::toJson(take, false)),
                      u"MusicGen Studio "_s + QStringLiteral(MUSICGEN_VERSION)};
    if (format != AudioFormat::Wav)
        return tags;
    if (tags.title.toUtf8().size() > WavTagMaxBytes)
        tags.title = truncateUtf8(tags.title, WavTagMaxBytes - 3) + u'\u2026';
    QByteArray json = tags.comment.toUtf8();
    Take shortened = take;
    while (json.size() > WavTagMaxBytes && !shortened.prompt.isEmpty()) {
        const int excess = int(json.size()) - WavTagMaxBytes + 32; // room for the "promptTruncated" marker
        shortened.prompt = truncateUtf8(shortened.prompt, std::max(0, int(shortened.prompt.toUtf8().size()) - excess));
        QJsonObject recipe = QJsonDocument::fromJson(TakeSidecar::toJson(shortened, false)).object();
        recipe.insert(u"promptTruncated"_s, true);
        json = QJsonDocument(recipe).toJson(QJsonDocument::Compact);
    }
    tags.comment = QString::fromUtf8(json);
    return tags;
}

std::optional<QByteArray> FavouriteExporter::withTags(const QByteArray& audio, const EmbeddedTags& tags, QString* error)
{
    switch (sniffAudioFormat(audio)) {
    case AudioFormat::Mp3: return tagMp3(audio, tags, error);
    case AudioFormat::Wav:
    case AudioFormat::Flac:
    case AudioFormat::Ogg: return rewriteWithStrings(audio, tags, error);
    case AudioFormat::Unknown: break;
    }
    setError(error, QCoreApplication::translate("FavouriteExporter", "the take is not WAV, FLAC, Ogg or MP3 audio"));
    return std::nullopt;
}

bool FavouriteExporter::writeFile(const QString& path, const QByteArray& bytes, bool overwrite, QString* error,
                                  bool* alreadyExists)
{
    if (alreadyExists)
        *alreadyExists = false;
    if (overwrite) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            setError(error, QCoreApplication::translate("FavouriteExporter", "could not write %1: %2")
                                .arg(path, file.errorString()));
            return false;
        }
        return true;
    }
    if (QFileInfo::exists(path)) {
        if (alreadyExists)
            *alreadyExists = true;
        setError(error, QCoreApplication::translate("FavouriteExporter", "%1 already exists").arg(path));
        return false;
    }
    // Write beside the target, then rename without replacing (Qt uses renameat2(RENAME_NOREPLACE) or link()), so
    // a file that appears meanwhile is still never overwritten.
    QTemporaryFile file(QFileInfo(path).absolutePath() + u"/.musicgen-XXXXXX.part"_s);
    bool ok = file.open() && file.write(bytes) == bytes.size() && file.flush();
#ifdef Q_OS_UNIX
    ok = ok && ::fsync(file.handle()) == 0;
#endif
    if (!ok) {
        setError(
            error,
            QCoreApplication::translate("FavouriteExporter", "could not write %1: %2").arg(path, file.errorString()));
        return false;
    }
    if (!file.rename(path)) {
        const bool exists = QFileInfo::exists(path);
        if (alreadyExists)
            *alreadyExists = exists;
        setError(error, exists ? QCoreApplication::translate("FavouriteExporter", "%1 already exists").arg(path)
                               : QCoreApplication::translate("FavouriteExporter", "could not write %1: %2")
                                     .arg(path, file.errorString()));
        return false;
    }
    file.setAutoRemove(false);
    return true;
}

std::optional<QString> FavouriteExporter::save(const Take& take, const QByteArray& audio, QString* error) const
{
    if (!QDir().mkpath(m_directory)) {
        setError(error, QCoreApplication::translate("FavouriteExporter", "could not create the favourites folder %1")
                            .arg(m_directory));
        return std::nullopt;
    }
    const AudioFormat format = sniffAudioFormat(audio);
    const QString extension = u'.' + audioFormatExtension(format == AudioFormat::Unknown ? take.format : format);
    QString tagError;
    const auto tagged =
        withTags(audio, tagsFor(take, format == AudioFormat::Unknown ? take.format : format), &tagError);
    if (!tagged)
        qWarning("Library: saving the favourite copy of %s without tags: %s", qUtf8Printable(take.id),
                 qUtf8Printable(tagError));
    const QByteArray bytes = tagged ? *tagged : audio;
    // Room for the extension and a " (9999)" suffix within MaxFileNameBytes.
    const QString base = baseName(m_template, take, MaxFileNameBytes - int(extension.size()) - 7);
    const QDir dir(m_directory);
    for (int n = 1; n < 10000; ++n) {
        const QString name = n == 1 ? base + extension : u"%1 (%2)%3"_s.arg(base).arg(n).arg(extension);
        bool exists = false;
        if (writeFile(dir.filePath(name), bytes, false, error, &exists))
            return dir.filePath(name);
        if (!exists)
            return std::nullopt;
    }
    setError(error,
             QCoreApplication::translate("FavouriteExporter", "too many files named %1 in %2").arg(base, m_directory));
    return std::nullopt;
}
