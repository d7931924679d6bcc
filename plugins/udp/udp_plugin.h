// SPDX-License-Identifier: Apache-2.0
// The UDP transport plugin's root object.
#pragma once

#include "core/transport/transport.h"

namespace otalab::plugins::udp {

class UdpTransportFactory final : public QObject, public core::transport::TransportFactory {
    Q_OBJECT
    Q_PLUGIN_METADATA(IID OTALAB_TRANSPORT_IID FILE "udp.json")
    Q_INTERFACES(otalab::core::transport::TransportFactory)
public:
    QString scheme() const override { return QStringLiteral("udp"); }
    Result<core::transport::Transport*> create(const core::transport::ConnectionSpec& spec, QObject* parent) override;
    // UDP boards are not discoverable (no mDNS here): finishes with no endpoints.
    core::transport::Discovery* discover(QObject* parent) override;
};

} // namespace otalab::plugins::udp
