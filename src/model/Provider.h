#pragma once

#include "model/GenerationResult.h"

#include <QObject>
#include <QString>

/// One take being made. Emits `statusChanged` while it runs and `finished` exactly once, never from inside
/// `start()` or `cancel()`. The owner deletes the job after `finished`.
class GenerationJob : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual void start() = 0;
    /// Stops at once: `finished` follows with ErrorKind::Cancelled and no audio is kept.
    virtual void cancel() = 0;

signals:
    void statusChanged(const JobStatus& status);
    void finished(const GenerationResult& result);
};

/// Something that turns a request into audio: the hosted model or the built-in engine.
class Provider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// Stable id stored with every take: "segmind" or "offline".
    virtual QString id() const = 0;
    /// The name a musician sees.
    virtual QString displayName() const = 0;
    /// A job for `request`, whose seed is already resolved. The caller owns the job and calls start().
    virtual GenerationJob* createJob(const GenerationRequest& request, QObject* parent) = 0;
};
