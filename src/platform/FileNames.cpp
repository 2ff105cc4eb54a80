#include "platform/FileNames.h"

#include <QList>

using namespace Qt::StringLiterals;

namespace FileNames {

QString slug(const QString& text, int maxBytes)
{
    QString result;
    int bytes = 0;
    bool pendingDash = false;
    const QList<uint> codePoints = text.normalized(QString::NormalizationForm_C).toUcs4();
    for (const uint codePoint : codePoints) {
        const bool keep = QChar::isLetterOrNumber(char32_t(codePoint)) &&
                          QChar::category(char32_t(codePoint)) != QChar::Letter_Modifier;
        if (!keep) {
            pendingDash = !result.isEmpty();
            continue;
        }
        const QString piece = QString::fromUcs4(reinterpret_cast<const char32_t*>(&codePoint), 1).toLower();
        const int pieceBytes = int(piece.toUtf8().size()) + (pendingDash ? 1 : 0);
        if (bytes + pieceBytes > maxBytes)
            break;
        if (pendingDash)
            result += u'-';
        result += piece;
        bytes += pieceBytes;
        pendingDash = false;
    }
    return result.isEmpty() ? u"take"_s : result;
}

} // namespace FileNames
