// SPDX-License-Identifier: Apache-2.0
// ConnectPanel: the Bench's "Connect" box.
#include "connectpanel.h"

#include "app/hw/simulated_transport.h"
#include "benchcontroller.h"
#include "guistyle.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

namespace otalab::app {

using core::transport::ConnectionSpec;
using core::transport::Discovery;
using core::transport::Endpoint;

namespace {

const QString kDefaultUdp = QStringLiteral("127.0.0.1:1337");

// Preferred order in the combo; others follow by scheme.
int schemeRank(const QString& scheme)
{
    static const QStringList order{QStringLiteral("serial"), QStringLiteral("udp"), QStringLiteral("ble"),
                                   QStringLiteral("sim")};
    const int i = int(order.indexOf(scheme));
    return i < 0 ? int(order.size()) : i;
}

} // namespace

Result<QString> ConnectPanel::specFor(const QString& scheme, const QString& target, int baud, const QString& flow)
{
    const QString t = target.trimmed();
    if (scheme.isEmpty())
        return fail(tr("no transport chosen: no transport plugins were found"));
    if (t.isEmpty()) {
        if (scheme == QLatin1String("serial"))
            return fail(tr("choose a serial port (plug the board in and press Refresh)"));
        if (scheme == QLatin1String("udp"))
            return fail(tr("enter the board's address as host:port, e.g. %1").arg(kDefaultUdp));
        if (scheme == QLatin1String("ble"))
            return fail(tr("enter the board's name or address, or press Scan"));
        return fail(tr("enter what to connect to"));
    }
    QString spec = scheme + QLatin1Char(':') + t;
    if (scheme == QLatin1String("serial")) {
        spec += QStringLiteral(",baud=%1").arg(baud);
        if (!flow.isEmpty() && flow != QLatin1String("none"))
            spec += QStringLiteral(",flow=") + flow;
    }
    return spec;
}

QString ConnectPanel::schemeLabel(const QString& scheme)
{
    if (scheme == QLatin1String("serial"))
        return tr("Serial");
    if (scheme == QLatin1String("udp"))
        return tr("UDP");
    if (scheme == QLatin1String("ble"))
        return tr("BLE");
    if (scheme == QLatin1String("sim"))
        return tr("Simulated");
    return scheme;
}

ConnectPanel::ConnectPanel(BenchController& bench, QWidget* parent) : QGroupBox(tr("Connect"), parent), m_bench(bench)
{
    setObjectName(QStringLiteral("benchConnectPanel"));
    m_scheme = new QComboBox(this);
    m_scheme->setObjectName(QStringLiteral("benchTransport"));
    auto plugins = bench.registry().plugins();
    for (const auto& builtin : hw::builtinTransports()) {   // "sim": boards simulated in this process
        if (std::none_of(plugins.begin(), plugins.end(), [&](const auto& p) { return p.scheme == builtin.scheme; }))
            plugins << builtin;
    }
    std::stable_sort(plugins.begin(), plugins.end(), [](const auto& a, const auto& b) {
        return schemeRank(a.scheme) < schemeRank(b.scheme);
    });
    for (const auto& plugin : plugins) {
        m_scheme->addItem(schemeLabel(plugin.scheme), plugin.scheme);
        m_scheme->setItemData(m_scheme->count() - 1, plugin.name, Qt::ToolTipRole);
    }

    m_target = new QComboBox(this);
    m_target->setObjectName(QStringLiteral("benchTarget"));
    m_target->setEditable(true);
    m_target->setInsertPolicy(QComboBox::NoInsert);
    m_target->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_target->setMinimumContentsLength(16);
    m_scan = new QToolButton(this);
    m_scan->setObjectName(QStringLiteral("benchScan"));
    connect(m_scan, &QToolButton::clicked, this, &ConnectPanel::rescan);
    auto* targetRow = new QHBoxLayout;
    targetRow->setContentsMargins(0, 0, 0, 0);
    targetRow->addWidget(m_target, 1);
    targetRow->addWidget(m_scan);

    m_baud = new QComboBox(this);
    m_baud->setObjectName(QStringLiteral("benchBaud"));
    m_baud->setEditable(true);
    for (int rate : {9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000})
        m_baud->addItem(QString::number(rate));
    m_baud->setCurrentText(QStringLiteral("115200"));
    m_flow = new QComboBox(this);
    m_flow->setObjectName(QStringLiteral("benchFlow"));
    m_flow->addItem(tr("none"), QStringLiteral("none"));
    m_flow->addItem(tr("hardware (RTS/CTS)"), QStringLiteral("rtscts"));
    m_flow->addItem(tr("software (XON/XOFF)"), QStringLiteral("xonxoff"));

    m_connect = new QPushButton(tr("Connect"), this);
    m_connect->setObjectName(QStringLiteral("benchConnect"));
    m_connect->setDefault(true);
    connect(m_connect, &QPushButton::clicked, this, &ConnectPanel::connectCurrent);
    connect(m_target->lineEdit(), &QLineEdit::returnPressed, this, &ConnectPanel::connectCurrent);

    m_hint = new QLabel(this);
    m_hint->setObjectName(QStringLiteral("benchConnectHint"));
    m_hint->setWordWrap(true);
    m_hint->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout(this);
    form->addRow(tr("Transport:"), m_scheme);
    form->addRow(tr("Port / device:"), targetRow);
    m_baudLabel = new QLabel(tr("Baud:"), this);
    form->addRow(m_baudLabel, m_baud);
    m_flowLabel = new QLabel(tr("Flow control:"), this);
    form->addRow(m_flowLabel, m_flow);
    form->addRow(m_connect);
    form->addRow(m_hint);

    connect(m_scheme, &QComboBox::currentIndexChanged, this, &ConnectPanel::onSchemeChanged);
    if (plugins.isEmpty()) {
        m_connect->setEnabled(false);
        QString why = tr("No transport plugins found; looked in %1.")
                          .arg(bench.registry().searchPaths().join(QStringLiteral(", ")));
        const QStringList problems = bench.registry().problems();
        if (!problems.isEmpty())
            why += QLatin1Char(' ') + problems.join(QStringLiteral("; "));
        setHint(why + tr(" Set OTALAB_PLUGIN_PATH to the folder holding them."), true);
    }
    onSchemeChanged();
}

QString ConnectPanel::currentScheme() const
{
    return m_scheme->currentData().toString();
}

void ConnectPanel::onSchemeChanged()
{
    const QString scheme = currentScheme();
    const bool serial = scheme == QLatin1String("serial");
    m_baudLabel->setVisible(serial);
    m_baud->setVisible(serial);
    m_flowLabel->setVisible(serial);
    m_flow->setVisible(serial);
    m_target->clear();
    m_found = 0;
    if (m_discovery) {
        m_discovery->disconnect(this);
        m_discovery = nullptr;
    }
    setHint({}, false);
    if (scheme == QLatin1String("udp")) {
        m_scan->hide();
        m_target->setEditText(kDefaultUdp);
        m_target->lineEdit()->setPlaceholderText(tr("host:port"));
        return;
    }
    m_scan->show();
    if (scheme == QLatin1String("ble")) {
        m_scan->setText(tr("Scan"));
        m_scan->setToolTip(tr("Look for boards advertising the SMP service"));
        m_target->lineEdit()->setPlaceholderText(tr("name or address, or Scan"));
        return;
    }
    m_scan->setText(tr("Refresh"));
    m_scan->setToolTip(tr("List the ports again"));
    m_target->lineEdit()->setPlaceholderText(serial ? tr("/dev/ttyACM0") : QString());
    if (!scheme.isEmpty())
        rescan();
}

void ConnectPanel::rescan()
{
    const QString scheme = currentScheme();
    if (scheme.isEmpty())
        return;
    if (m_discovery)
        m_discovery->disconnect(this);
    const QString typed = m_target->currentText();
    m_target->clear();
    m_target->setEditText(typed);
    m_found = 0;
    auto discovery = m_bench.registry().discover(scheme, this);
    if (!discovery) {
        setHint(discovery.error().toString(), true);
        return;
    }
    m_discovery = *discovery;
    setHint(scheme == QLatin1String("ble") ? tr("scanning for boards…") : tr("looking…"), false);
    connect(m_discovery, &Discovery::endpointFound, this, &ConnectPanel::onEndpoint);
    connect(m_discovery, &Discovery::finished, this, [this, scheme] {
        if (m_found > 0)
            setHint(tr("%n found", nullptr, m_found), false);
        else if (scheme == QLatin1String("serial"))
            setHint(tr("no serial ports: plug the board in and press Refresh"), false);
        else
            setHint(tr("nothing found"), false);
    });
    connect(m_discovery, &Discovery::failed, this, [this](const QString& message) { setHint(message, true); });
}

void ConnectPanel::onEndpoint(const Endpoint& endpoint)
{
    const auto parsed = ConnectionSpec::parse(endpoint.spec);
    const QString target = parsed ? parsed->target : endpoint.name;
    for (int i = 0; i < m_target->count(); ++i) {
        if (m_target->itemData(i).toString() == target)
            return;   // BLE reports a device again as its RSSI changes
    }
    const bool typedSomething = !m_target->currentText().isEmpty() && m_target->count() == 0;
    const QString typed = m_target->currentText();
    const QString label = endpoint.description.isEmpty() ? target : QStringLiteral("%1 — %2").arg(target, endpoint.description);
    m_target->addItem(label, target);
    m_target->setItemData(m_target->count() - 1, label, Qt::ToolTipRole);
    if (typedSomething)
        m_target->setEditText(typed);
    ++m_found;
}

Result<QString> ConnectPanel::currentSpec() const
{
    QString target = m_target->currentText();
    const int index = m_target->currentIndex();
    if (index >= 0 && m_target->itemText(index) == target)
        target = m_target->itemData(index).toString();
    bool ok = false;
    const int baud = m_baud->currentText().toInt(&ok);
    if (currentScheme() == QLatin1String("serial") && (!ok || baud <= 0))
        return fail(tr("the baud rate must be a positive number, e.g. 115200"));
    return specFor(currentScheme(), target, baud, m_flow->currentData().toString());
}

bool ConnectPanel::connectCurrent()
{
    const auto spec = currentSpec();
    if (!spec) {
        setHint(spec.error().toString(), true);
        return false;
    }
    const auto board = m_bench.connectBoard(*spec);
    if (!board) {
        setHint(board.error().toString(), true);
        return false;
    }
    setHint(tr("added %1").arg(*spec), false);
    Q_EMIT boardConnected(*board);
    return true;
}

void ConnectPanel::setHint(const QString& text, bool error)
{
    m_hint->setText(text);
    m_hint->setStyleSheet(error ? QStringLiteral("color: %1;").arg(errorColor().name()) : QStringLiteral("color: palette(mid);"));
    m_hint->setVisible(!text.isEmpty());
}

} // namespace otalab::app
