// SPDX-License-Identifier: Apache-2.0
// ConnectPanel: the Bench's "Connect" box — transport, port/device, serial settings, Connect.
#pragma once

#include "core/transport/transport.h"

#include <QGroupBox>
#include <QPointer>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace otalab::app {

class BenchController;
class BoardController;

// Lists the transports the registry found (Serial, UDP, BLE, Simulated when a `sim`
// transport exists, any other by its scheme). Serial ports are listed at once with their
// USB vendor/product names; BLE scans when asked (Scan); UDP takes host:port
// (default 127.0.0.1:1337). Connect hands the spec to BenchController::connectBoard();
// a refusal shows under the button, in plain words. GUI thread.
class ConnectPanel final : public QGroupBox {
    Q_OBJECT
public:
    explicit ConnectPanel(BenchController& bench, QWidget* parent = nullptr);

    // "serial:/dev/ttyACM0,baud=115200" / "udp:127.0.0.1:1337" / "ble:Zephyr"; flow "none"
    // is left out. Fails on an empty target.
    static Result<QString> specFor(const QString& scheme, const QString& target, int baud = 115200,
                                   const QString& flow = QStringLiteral("none"));
    // "Serial", "UDP", "BLE", "Simulated", else the scheme.
    static QString schemeLabel(const QString& scheme);

    QComboBox& transportCombo() const { return *m_scheme; }
    QComboBox& targetCombo() const { return *m_target; }
    QLabel& hintLabel() const { return *m_hint; }
    // The spec the current fields describe.
    Result<QString> currentSpec() const;

public Q_SLOTS:
    // Connects what the fields describe; false with the reason in the hint line.
    bool connectCurrent();
    void rescan();

Q_SIGNALS:
    void boardConnected(otalab::app::BoardController* board);

private:
    void onSchemeChanged();
    void onEndpoint(const core::transport::Endpoint& endpoint);
    void setHint(const QString& text, bool error);
    QString currentScheme() const;

    BenchController& m_bench;
    QComboBox* m_scheme = nullptr;
    QComboBox* m_target = nullptr;
    QToolButton* m_scan = nullptr;
    QLabel* m_baudLabel = nullptr;
    QComboBox* m_baud = nullptr;
    QLabel* m_flowLabel = nullptr;
    QComboBox* m_flow = nullptr;
    QPushButton* m_connect = nullptr;
    QLabel* m_hint = nullptr;
    QPointer<core::transport::Discovery> m_discovery;
    int m_found = 0;
};

} // namespace otalab::app
