// SPDX-License-Identifier: Apache-2.0
// The UDP transport plugin's root object.
#include "udp_plugin.h"

#include "udp_transport.h"

namespace otalab::plugins::udp {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Transport;

Result<Transport*> UdpTransportFactory::create(const ConnectionSpec& spec, QObject* parent)
{
    auto options = parseUdpOptions(spec);
    if (!options)
        return fail(options.error());
    return new UdpTransport(std::move(*options), spec.serve, parent);
}

Discovery* UdpTransportFactory::discover(QObject* parent)
{
    auto* discovery = new Discovery(parent);
    QMetaObject::invokeMethod(discovery, [discovery] {
        Q_EMIT discovery->finished();
        discovery->deleteLater();
    }, Qt::QueuedConnection);
    return discovery;
}

} // namespace otalab::plugins::udp
