// SPDX-License-Identifier: Apache-2.0
// The open/close bookkeeping every transport plugin shares: state with stateChanged, and
// an open() that runs openNow() from the event loop unless close() came first.
#pragma once

#include "core/transport/transport.h"

namespace otalab::plugins {

// Thread: the transport's own (see core::transport::Transport).
class QueuedOpenTransport : public core::transport::Transport {
public:
    using Transport::Transport;

    // Closed → Opening, then openNow() on the next event-loop turn (so callers can
    // connect to the signals first). Ignored unless Closed.
    void open() final;
    State state() const final { return m_state; }

protected:
    virtual void openNow() = 0;
    // Emits stateChanged when the state changes.
    void setState(State state);
    // Voids a queued open (and any step that captured generation()): call from close().
    void invalidatePendingOpen() { ++m_generation; }
    quint64 generation() const { return m_generation; }

    State m_state = State::Closed;

private:
    quint64 m_generation = 0;
};

} // namespace otalab::plugins
