#include "audio/AudioTags.h"

#include "model/AudioFormat.h"
#include "model/TextUtils.h"

#include <QCoreApplication>

#include <taglib/commentsframe.h>
#include <taglib/flacfile.h>
#include <taglib/id3v2tag.h>
#include <taglib/infotag.h>
#include <taglib/mpegfile.h>
#include <taglib/oggflacfile.h>
#include <taglib/opusfile.h>
#include <taglib/tbytevectorstream.h>
#include <taglib/textidentificationframe.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/xiphcomment.h>

#include <functional>
#include <memory>
#include <string>

using namespace Qt::StringLiterals;

namespace {

// The tag blocks of one opened file (those its format has) and how to save it.
struct TaggedFile
{
    std::unique_ptr<TagLib::File> file;
    TagLib::ID3v2::Tag* id3 = nullptr;
    TagLib::RIFF::Info::Tag* info = nullptr;
    TagLib::Ogg::XiphComment* xiph = nullptr;
    std::function<bool()> save;
};

template <typename File> std::unique_ptr<File> opened(std::unique_ptr<File> file)
{
    return file->isValid() ? std::move(file) : nullptr;
}

// Opens the bytes in `stream` as the TagLib file for their format. Properties are not read: only tags are needed.
std::optional<TaggedFile> openTagged(TagLib::ByteVectorStream& stream, AudioFormat format)
{
    using namespace TagLib;
    TaggedFile tagged;
    switch (format) {
    case AudioFormat::Wav:
        if (auto wav = opened(std::make_unique<RIFF::WAV::File>(&stream, false))) {
            tagged.id3 = wav->ID3v2Tag();
            tagged.info = wav->InfoTag();
            tagged.save = [file = wav.get()] {
                return file->save(RIFF::WAV::File::AllTags, File::StripOthers, ID3v2::v3);
            };
            tagged.file = std::move(wav);
        }
        break;
    case AudioFormat::Mp3:
        if (auto mp3 = opened(std::make_unique<MPEG::File>(&stream, ID3v2::FrameFactory::instance(), false))) {
            tagged.id3 = mp3->ID3v2Tag(true);
            tagged.save = [file = mp3.get()] {
                return file->save(MPEG::File::ID3v2, File::StripOthers, ID3v2::v3, File::DoNotDuplicate);
            };
            tagged.file = std::move(mp3);
        }
        break;
    case AudioFormat::Flac:
        if (auto flac = opened(std::make_unique<FLAC::File>(&stream, ID3v2::FrameFactory::instance(), false))) {
            tagged.xiph = flac->xiphComment(true);
            tagged.file = std::move(flac);
        }
        break;
    case AudioFormat::Ogg:
        // Ogg is a container: the first packet says which codec, and so which header holds the comments.
        if (Ogg::Vorbis::File::isSupported(&stream)) {
            if (auto vorbis = opened(std::make_unique<Ogg::Vorbis::File>(&stream, false))) {
                tagged.xiph = vorbis->tag();
                tagged.file = std::move(vorbis);
            }
        } else if (Ogg::Opus::File::isSupported(&stream)) {
            if (auto opus = opened(std::make_unique<Ogg::Opus::File>(&stream, false))) {
                tagged.xiph = opus->tag();
                tagged.file = std::move(opus);
            }
        } else if (Ogg::FLAC::File::isSupported(&stream)) {
            if (auto flac = opened(std::make_unique<Ogg::FLAC::File>(&stream, false))) {
                tagged.xiph = flac->tag();
                tagged.file = std::move(flac);
            }
        }
        break;
    case AudioFormat::Unknown: break;
    }
    if (!tagged.file || !(tagged.id3 || tagged.xiph))
        return std::nullopt;
    if (!tagged.save)
        tagged.save = [file = tagged.file.get()] { return file->save(); };
    return tagged;
}

TagLib::ByteVector toBytes(const QByteArray& bytes)
{
    return TagLib::ByteVector(bytes.constData(), static_cast<unsigned int>(bytes.size()));
}

// Tags are C strings in INFO and NUL-separated lists in ID3v2: a NUL inside would cut the text short.
TagLib::String toTagLib(const QString& text)
{
    const QByteArray utf8 = QString(text).remove(QChar(0)).toUtf8();
    return TagLib::String(std::string(utf8.constData(), size_t(utf8.size())), TagLib::String::UTF8);
}

QString fromTagLib(const TagLib::String& text)
{
    return QString::fromStdString(text.to8Bit(true));
}

// An INFO field: at most InfoMaxBytes, cut with an ellipsis.
TagLib::String infoText(const QString& text)
{
    if (text.toUtf8().size() <= AudioTags::InfoMaxBytes)
        return toTagLib(text);
    return toTagLib(truncateUtf8(text, AudioTags::InfoMaxBytes - 3) + u'\u2026');
}

bool isComment(const TagLib::ID3v2::Frame* frame)
{
    // The comment players show is the COMM frame without a description; others (iTunNORM...) belong to others.
    const auto* comment = dynamic_cast<const TagLib::ID3v2::CommentsFrame*>(frame);
    return comment && comment->description().isEmpty();
}

// Replaces the text frame `id`; empty text only removes it.
void setId3Text(TagLib::ID3v2::Tag& tag, const char* id, const QString& text)
{
    tag.removeFrames(id);
    if (text.isEmpty())
        return;
    auto* frame = new TagLib::ID3v2::TextIdentificationFrame(id, TagLib::String::UTF16); // v2.3: no UTF-8
    frame->setText(toTagLib(text));
    tag.addFrame(frame);
}

QString bpmText(int bpm)
{
    return bpm > 0 ? QString::number(bpm) : QString();
}

int bpmFromText(const QString& text)
{
    // Other programs write "120.5" or "120.00": a whole number is what the field means. Nonsense is no tempo.
    const double bpm = text.trimmed().toDouble();
    return bpm > 0 && bpm < 10000 ? qRound(bpm) : 0;
}

void writeId3(TagLib::ID3v2::Tag& tag, const EmbeddedTags& tags)
{
    using namespace TagLib::ID3v2;
    const FrameList comments = tag.frameList("COMM");
    for (Frame* frame : comments) {
        if (isComment(frame))
            tag.removeFrame(frame);
    }
    setId3Text(tag, "TIT2", tags.title);
    auto* comment = new CommentsFrame(TagLib::String::UTF16);
    comment->setLanguage("eng");
    comment->setText(toTagLib(tags.comment));
    tag.addFrame(comment);
    setId3Text(tag, "TSSE", tags.software);
    setId3Text(tag, "TBPM", bpmText(tags.bpm));
    setId3Text(tag, "TKEY", tags.key);
}

QString id3Text(const TagLib::ID3v2::Tag& tag, const char* id)
{
    const TagLib::ID3v2::FrameList frames = tag.frameList(id);
    return frames.isEmpty() ? QString() : fromTagLib(frames.front()->toString());
}

QString id3Comment(const TagLib::ID3v2::Tag& tag)
{
    const TagLib::ID3v2::FrameList frames = tag.frameList("COMM");
    for (const TagLib::ID3v2::Frame* frame : frames) {
        if (isComment(frame))
            return fromTagLib(frame->toString());
    }
    return {};
}

QString xiphText(const TagLib::Ogg::XiphComment& xiph, const char* field)
{
    const auto fields = xiph.fieldListMap();
    const auto it = fields.find(field);
    return it == fields.end() || it->second.isEmpty() ? QString() : fromTagLib(it->second.front());
}

// Replaces the comment `field`; empty text only removes it.
void setXiphText(TagLib::Ogg::XiphComment& xiph, const char* field, const QString& text)
{
    if (text.isEmpty())
        xiph.removeFields(field);
    else
        xiph.addField(field, toTagLib(text), true);
}

QString formatName(AudioFormat format)
{
    return format == AudioFormat::Unknown ? u"audio"_s : audioFormatExtension(format).toUpper();
}

} // namespace

namespace AudioTags {

std::optional<QByteArray> write(const QByteArray& audio, const EmbeddedTags& tags, QString* error)
{
    const AudioFormat format = sniffAudioFormat(audio);
    TagLib::ByteVectorStream stream(toBytes(audio));
    std::optional<TaggedFile> tagged = openTagged(stream, format);
    if (!tagged) {
        setError(
            error,
            QCoreApplication::translate("AudioTags", "the %1 file's layout cannot hold tags").arg(formatName(format)));
        return std::nullopt;
    }
    if (tagged->id3)
        writeId3(*tagged->id3, tags);
    if (tagged->info) {
        const bool fits = tags.comment.toUtf8().size() <= InfoMaxBytes || tags.shortComment.isEmpty();
        tagged->info->setTitle(infoText(tags.title));
        tagged->info->setComment(infoText(fits ? tags.comment : tags.shortComment));
        tagged->info->setFieldText("ISFT", infoText(tags.software));
    }
    if (tagged->xiph) {
        setXiphText(*tagged->xiph, "TITLE", tags.title);
        setXiphText(*tagged->xiph, "COMMENT", tags.comment);
        setXiphText(*tagged->xiph, "SOFTWARE", tags.software);
        setXiphText(*tagged->xiph, "ENCODER", tags.software);
        setXiphText(*tagged->xiph, "BPM", bpmText(tags.bpm));
        setXiphText(*tagged->xiph, "INITIALKEY", tags.key);
    }
    if (!tagged->save()) {
        setError(error, QCoreApplication::translate("AudioTags", "the tags could not be saved in the %1 file")
                            .arg(formatName(format)));
        return std::nullopt;
    }
    const TagLib::ByteVector* bytes = stream.data();
    return QByteArray(bytes->data(), qsizetype(bytes->size()));
}

std::optional<EmbeddedTags> read(const QByteArray& audio, QString* error)
{
    const AudioFormat format = sniffAudioFormat(audio);
    TagLib::ByteVectorStream stream(toBytes(audio));
    const std::optional<TaggedFile> tagged = openTagged(stream, format);
    if (!tagged) {
        setError(error,
                 QCoreApplication::translate("AudioTags", "the %1 file's tags cannot be read").arg(formatName(format)));
        return std::nullopt;
    }
    EmbeddedTags tags;
    if (tagged->id3) {
        tags.title = id3Text(*tagged->id3, "TIT2");
        tags.comment = id3Comment(*tagged->id3);
        tags.software = id3Text(*tagged->id3, "TSSE");
        tags.bpm = bpmFromText(id3Text(*tagged->id3, "TBPM"));
        tags.key = id3Text(*tagged->id3, "TKEY");
    }
    if (tagged->info) {
        const bool hasId3 = !tags.title.isEmpty() || !tags.comment.isEmpty() || !tags.software.isEmpty();
        if (!hasId3) {
            tags.title = fromTagLib(tagged->info->title());
            tags.comment = fromTagLib(tagged->info->comment());
            tags.software = fromTagLib(tagged->info->fieldText("ISFT"));
        }
    }
    if (tagged->xiph) {
        tags.title = xiphText(*tagged->xiph, "TITLE");
        tags.comment = xiphText(*tagged->xiph, "COMMENT");
        tags.software = xiphText(*tagged->xiph, "SOFTWARE");
        if (tags.software.isEmpty())
            tags.software = xiphText(*tagged->xiph, "ENCODER");
        tags.bpm = bpmFromText(xiphText(*tagged->xiph, "BPM"));
        tags.key = xiphText(*tagged->xiph, "INITIALKEY");
    }
    return tags;
}

} // namespace AudioTags
