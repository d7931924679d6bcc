// SPDX-License-Identifier: Apache-2.0
// BenchController: the boards on the Bench and the transport plugins that reach them.
#pragma once

#include "app/hw/transport_registry.h"
#include "boardcontroller.h"

#include <QObject>
#include <memory>

namespace otalab::app {

// Owns the TransportRegistry and one BoardController per connection spec (a spec is
// connected at most once). GUI thread only.
class BenchController final : public QObject {
    Q_OBJECT
public:
    // Plugins from hw::TransportRegistry::defaultSearchPaths().
    explicit BenchController(QObject* parent = nullptr);
    BenchController(QStringList pluginPaths, QObject* parent);
    ~BenchController() override;

    hw::TransportRegistry& registry() { return *m_registry; }
    // Options for boards connected from now on (tests shorten the waits).
    BoardController::Options& boardOptions() { return m_boardOptions; }

    // Creates the transport for `spec` ("udp:127.0.0.1:1337", "serial:/dev/ttyACM0,baud=115200")
    // and starts connecting. Errors: the spec does not parse, no plugin for its scheme,
    // the plugin refuses the options, or the spec is already on the Bench.
    Result<BoardController*> connectBoard(const QString& spec);
    void removeBoard(BoardController* board);
    const QList<BoardController*>& boards() const { return m_boards; }
    BoardController* board(const QString& spec) const;

    // Starts uploading `path` to each of `boards`; returns how many started (a busy or
    // disconnected board refuses, with its own lastError()).
    int uploadFile(const QString& path, const QList<BoardController*>& boards);

Q_SIGNALS:
    void boardAdded(otalab::app::BoardController* board);
    // Emitted before the board is deleted (later).
    void boardRemoved(otalab::app::BoardController* board);

private:
    std::unique_ptr<hw::TransportRegistry> m_registry;
    BoardController::Options m_boardOptions;
    QList<BoardController*> m_boards;
};

} // namespace otalab::app
