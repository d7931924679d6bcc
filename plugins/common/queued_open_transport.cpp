// SPDX-License-Identifier: Apache-2.0
// QueuedOpenTransport: state changes and the queued open shared by the transport plugins.
#include "plugins/common/queued_open_transport.h"

#include <QMetaObject>

namespace otalab::plugins {

void QueuedOpenTransport::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void QueuedOpenTransport::open()
{
    if (m_state != State::Closed)
        return;
    setState(State::Opening);
    const quint64 opening = m_generation;
    QMetaObject::invokeMethod(this, [this, opening] {
        if (opening == m_generation && m_state == State::Opening)
            openNow();
    }, Qt::QueuedConnection);
}

} // namespace otalab::plugins
