// SPDX-License-Identifier: Apache-2.0
// Waiting on an event in a test: the event loop runs until a condition holds, bounded by a
// limit against hangs (never a timing check). Shared by the app and plugin test helpers.
#pragma once

#include <QDeadlineTimer>
#include <QEventLoop>
#include <QTimer>

#include <functional>

namespace otalab::testing {

// Runs the calling thread's event loop until done() holds or limitMs passed, checking
// every tickMs. Needs a QCoreApplication. Returns done().
inline bool runEventLoopUntil(const std::function<bool()>& done, int limitMs, int tickMs)
{
    if (done())
        return true;
    QDeadlineTimer deadline(limitMs);
    QEventLoop loop;
    QTimer tick;
    QObject::connect(&tick, &QTimer::timeout, &loop, [&] {
        if (done() || deadline.hasExpired())
            loop.quit();
    });
    tick.start(tickMs);
    loop.exec();
    return done();
}

} // namespace otalab::testing
