#pragma once

#include "model/Provider.h"

/// The built-in sketch engine: instant, deterministic, no key and no network. Renders off the calling thread.
class OfflineProvider final : public Provider
{
    Q_OBJECT

public:
    using Provider::Provider;

    QString id() const override;
    QString displayName() const override;
    GenerationJob* createJob(const GenerationRequest& request, QObject* parent) override;
};
