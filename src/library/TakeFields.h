#pragma once

#include "model/Take.h"

#include <QJsonObject>
#include <QStringList>
#include <QVariantList>

class QSqlQuery;

/// The one list of a take's persisted fields: for each, its key in the sidecar, its column in the index and how its
/// value is written and read in each. The sidecar (TakeSidecar) and the index (LibraryDatabase) take everything
/// from here, so a new Take field is one line in TakeFields.cpp (plus the index's migration for its column).
namespace TakeFields {

/// Which of the index's columns.
enum class Scope
{
    All,         ///< every column of a take's row, for INSERT and SELECT
    ChangeLater, ///< what changes after a take is made (favourite, rating, tags, ...), for UPDATE
};

/// The index's column names, in the order sqlValues() gives the values and fromRow() reads them.
QStringList columns(Scope scope = Scope::All);

/// The take's values for columns(scope), as the index stores them: text never NULL, tags as a JSON array (empty
/// text for none), `created` in ms since the epoch, the rating kept to 0..5 stars.
QVariantList sqlValues(const Take& take, Scope scope = Scope::All);

/// The take in a row whose first columns are columns(Scope::All).
Take fromRow(const QSqlQuery& row);

/// The fields the sidecar keeps (all but audioMissing, which describes this computer's clips folder, not the take),
/// by their sidecar keys: `created` ISO 8601 UTC with ms, `format` the file extension, `remainingCredits` null when
/// unknown.
QJsonObject toJson(const Take& take);

/// The take described by a sidecar's object. As tolerant as a hand-edited file needs: a missing or mistyped key
/// leaves the field's default, the rating is kept to 0..5 stars. It does not check the id.
Take fromJson(const QJsonObject& object);

/// `indexed` with the fields that change after a take is made (favourite, rating, tags, note, trash, favourite copy,
/// revision) taken from `sidecar`: what the index adopts when the sidecar is the newer copy.
Take withSidecarChanges(const Take& indexed, const Take& sidecar);

} // namespace TakeFields
