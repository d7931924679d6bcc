// SPDX-License-Identifier: Apache-2.0
#include "scenario/scenarioform.h"

#include "guistyle.h"
#include "rollout/rolloutform.h"
#include "scenario/collapsiblesection.h"
#include "scenario/fielderrorframe.h"
#include "scenario/scenariofieldgroup.h"
#include "scenario/scenariofieldinput.h"
#include "scenario/scenariofleetsform.h"
#include "scenario/scenariolisteditor.h"
#include "sim/scenario/scenariowriter.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <climits>

namespace otalab::app {

namespace {

constexpr int kLossNone = 0;
constexpr int kLossBernoulli = 1;
constexpr int kLossGilbertElliott = 2;
constexpr int kLossDistance = 3;
const char* const kLossKinds[] = {"none", "bernoulli", "gilbert-elliott", "distance"};


// Sets without emitting (the form's own guard covers signals that are not blocked).
template <typename W, typename V>
void setQuietly(W* widget, V value)
{
    const QSignalBlocker block(widget);
    widget->setValue(value);
}

QString hexVersion(std::uint32_t v)
{
    return QStringLiteral("0x") + QString::number(v, 16).toUpper().rightJustified(8, QLatin1Char('0'));
}

std::optional<std::uint64_t> parseInteger(const QString& text)
{
    const QString t = text.trimmed();
    bool ok = false;
    const std::uint64_t v = t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? t.mid(2).toULongLong(&ok, 16) : t.toULongLong(&ok, 10);
    return ok ? std::optional(v) : std::nullopt;
}

QString plural(qint64 n, const char* one, const char* many)
{
    return QStringLiteral("%1 %2").arg(n).arg(QLatin1String(n == 1 ? one : many));
}

QString fleetSummary(qint64 routers, qint64 zeds)
{
    return QObject::tr("1 coordinator + %1 + %2 = %3 nodes")
        .arg(plural(routers, "router", "routers"), plural(zeds, "end device", "end devices")).arg(1 + routers + zeds);
}

// The value at "$.images[0].generate" in `root` (undefined when absent).
QJsonValue valueAtPath(const QJsonObject& root, const QString& path)
{
    QJsonValue v = root;
    QString part;
    auto step = [&] {
        if (part.isEmpty())
            return;
        if (part.startsWith(u'['))
            v = v.toArray().at(part.mid(1).toInt());
        else
            v = v.toObject().value(part);
        part.clear();
    };
    for (qsizetype i = 1; i < path.size(); ++i) {
        const QChar c = path[i];
        if (c == u'.' || c == u'[') {
            step();
            if (c == u'[')
                part = QStringLiteral("[");
        } else if (c != u']') {
            part += c;
        }
    }
    step();
    return v;
}

QString hex4(std::uint16_t v) { return QStringLiteral("0x") + QString::number(v, 16).toUpper().rightJustified(4, QLatin1Char('0')); }

bool pathCovers(const QString& prefix, const QString& path)
{
    return path == prefix || (path.startsWith(prefix) && (path[prefix.size()] == u'.' || path[prefix.size()] == u'['));
}

} // namespace

ScenarioForm::ScenarioForm(QWidget* parent) : QWidget(parent), m_errorFrame(new FieldErrorFrame)
{
    // The groups scroll; the error message stays visible below them.
    auto* content = new QWidget;
    auto* groups = new QVBoxLayout(content);
    m_zigbeeGroups = {buildRunGroup(), buildTopologyGroup(), buildLossGroup(), buildDeviceGroup(),
                      buildNetworkGroup(), buildImageGroup(), buildServerGroup(), buildClientGroup()};
    auto* rolloutBox = new QGroupBox(tr("Rollout"));
    m_rollout = new RolloutForm(rolloutBox);  // "$.rollout" (app/gui/rollout)
    (new QVBoxLayout(rolloutBox))->addWidget(m_rollout);
    connect(m_rollout, &RolloutForm::edited, this, &ScenarioForm::emitEdits);
    m_zigbeeGroups << rolloutBox;
    m_inputs << rolloutBox;
    for (QWidget* group : std::as_const(m_zigbeeGroups))
        groups->addWidget(group);
    m_fleets = new ScenarioFleetsForm(content);
    m_fleets->hide();
    groups->addWidget(m_fleets);
    m_inputs << m_fleets;
    connect(m_fleets, &ScenarioFleetsForm::edited, this, &ScenarioForm::emitEdits);
    groups->addStretch(1);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(content);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(QStringLiteral("scenarioFormMessage"));
    m_message->hide();
    m_errorFrame->setParent(this);  // re-parented next to the flagged input by attach()
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_scroll, 1);
    layout->addWidget(m_message);
}

// --- building ----------------------------------------------------------------------

void ScenarioForm::registerField(const QString& path, QWidget* widget)
{
    m_fields.insert(path, widget);
    if (!widget->property("scenarioTip").isValid())
        widget->setProperty("scenarioTip", widget->toolTip());  // restored when an error flag is cleared
}

QGroupBox* ScenarioForm::buildRunGroup()
{
    auto* group = new QGroupBox(tr("Run"), this);
    auto* form = new QFormLayout(group);
    m_name = new QLineEdit(group);
    m_name->setPlaceholderText(tr("file name"));
    m_name->setToolTip(tr("\"name\": the scenario's name in reports (default: the file's base name)"));
    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (m_populating || !m_name->isModified())
            return;
        m_name->setModified(false);
        const QString name = m_name->text().trimmed();
        emitEdits({JsonEdit{QStringLiteral("$.name"), name.isEmpty() ? std::nullopt : std::optional<QJsonValue>(name)}});
    });
    m_seed = new QLineEdit(group);
    m_seed->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("(0[xX][0-9a-fA-F]{1,16}|[0-9]{1,20})")), m_seed));
    m_seed->setToolTip(tr("\"seed\": master seed of the run; the same seed gives the same run"));
    connect(m_seed, &QLineEdit::editingFinished, this, [this] {
        if (m_populating || !m_seed->isModified())
            return;
        m_seed->setModified(false);
        if (const auto v = parseInteger(m_seed->text()))
            emitValue(QStringLiteral("$.seed"), *v <= (std::uint64_t(1) << 53) ? QJsonValue(qint64(*v)) : QJsonValue(QString::number(*v)));
    });
    m_until = new QDoubleSpinBox(group);
    m_until->setRange(0.001, 1e9);
    m_until->setDecimals(1);
    m_until->setSuffix(tr(" s"));
    m_until->setToolTip(tr("\"stop.until\": hard stop in virtual seconds (86400 = one day)"));
    connect(m_until, &QDoubleSpinBox::valueChanged, this, [this](double v) { emitValue(QStringLiteral("$.stop.until"), v); });
    m_whenAllFinished = new QCheckBox(tr("stop when every device finished"), group);
    m_whenAllFinished->setToolTip(tr("\"stop.whenAllFinished\": end the run once every client upgraded, failed or refused"));
    connect(m_whenAllFinished, &QCheckBox::toggled, this,
            [this](bool on) { emitValue(QStringLiteral("$.stop.whenAllFinished"), on); });
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Stop at"), m_until);
    form->addRow(QString(), m_whenAllFinished);
    registerField(QStringLiteral("$.name"), m_name);
    registerField(QStringLiteral("$.seed"), m_seed);
    registerField(QStringLiteral("$.stop"), group);
    registerField(QStringLiteral("$.stop.until"), m_until);
    registerField(QStringLiteral("$.stop.whenAllFinished"), m_whenAllFinished);
    addMoreSection(form, tr("More run settings"), QStringLiteral("$"), scenariofields::run());
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildTopologyGroup()
{
    auto* group = new QGroupBox(tr("Fleet (generated tree)"), this);
    auto* form = new QFormLayout(group);
    auto intSpin = [&](const char* key, int min, int max, const QString& tip) {
        auto* spin = new QSpinBox(group);
        spin->setRange(min, max);
        spin->setToolTip(tip);
        spin->setGroupSeparatorShown(true);
        const QString path = QStringLiteral("$.topology.generate.") + QLatin1String(key);
        connect(spin, &QSpinBox::valueChanged, this, [this, path](int v) {
            emitValue(path, qint64(v));
            updateTopologySummary();
        });
        registerField(path, spin);
        return spin;
    };
    m_routers = intSpin("routers", 0, 0xFFF7, tr("\"topology.generate.routers\": number of routers"));
    m_branching = intSpin("branching", 1, 0xFFF7, tr("\"topology.generate.branching\": router children per coordinator/router"));
    m_zedsPerRouter = intSpin("zedsPerRouter", 0, 0xFFF7, tr("\"topology.generate.zedsPerRouter\": sleepy end devices under each router"));
    m_placement = new QComboBox(group);
    m_placement->addItem(tr("grid"), QStringLiteral("grid"));
    m_placement->addItem(tr("random"), QStringLiteral("random"));
    m_placement->setToolTip(tr("\"topology.generate.placement\": routers on a grid, or every node at random in an area"));
    connect(m_placement, &QComboBox::activated, this, [this](int i) {
        emitValue(QStringLiteral("$.topology.generate.placement"), m_placement->itemData(i).toString());
    });
    m_spacing = new QDoubleSpinBox(group);
    m_spacing->setRange(0.1, 1e6);
    m_spacing->setDecimals(1);
    m_spacing->setSuffix(tr(" m"));
    m_spacing->setToolTip(tr("\"topology.generate.spacingM\": grid distance between neighbouring routers"));
    connect(m_spacing, &QDoubleSpinBox::valueChanged, this, [this](double v) { emitValue(QStringLiteral("$.topology.generate.spacingM"), v); });
    m_topologySummary = new QLabel(group);
    m_topologySummary->setWordWrap(true);
    form->addRow(tr("Routers"), m_routers);
    form->addRow(tr("Branching"), m_branching);
    form->addRow(tr("ZEDs per router"), m_zedsPerRouter);
    form->addRow(tr("Placement"), m_placement);
    form->addRow(tr("Spacing"), m_spacing);
    form->addRow(m_topologySummary);
    registerField(QStringLiteral("$.topology"), group);
    registerField(QStringLiteral("$.topology.generate"), group);
    registerField(QStringLiteral("$.topology.generate.placement"), m_placement);
    registerField(QStringLiteral("$.topology.generate.spacingM"), m_spacing);
    m_generateMore = addMoreSection(form, tr("More of the generated tree"), QStringLiteral("$.topology.generate"),
                                    scenariofields::generateMore());
    m_nodes = addListSection(form, tr("Explicit nodes"), QStringLiteral("$.topology.nodes"), scenariofields::node(), tr("Node %1"),
                             tr("Add node"), tr("The fleet is generated (above). Replace \"generate\" with \"nodes\" in the JSON text to list nodes one by one."),
                             [this] {
                                 std::uint16_t next = 1;
                                 for (std::uint16_t a : m_nodeAddresses)
                                     next = std::max<std::uint16_t>(next, a + 1);
                                 return QJsonObject{{QStringLiteral("short"), hex4(next)}, {QStringLiteral("role"), QStringLiteral("end-device")},
                                                    {QStringLiteral("parent"), QStringLiteral("0x0000")}};
                             });
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildLossGroup()
{
    auto* group = new QGroupBox(tr("Link loss"), this);
    auto* form = new QFormLayout(group);
    m_lossKind = new QComboBox(group);
    m_lossKind->addItems({tr("none (collisions only)"), tr("Bernoulli"), tr("Gilbert\u2013Elliott (bursty)"), tr("distance (path loss)")});
    m_lossKind->setToolTip(tr("\"channel.loss.kind\": the loss model on every link"));
    connect(m_lossKind, &QComboBox::activated, this, &ScenarioForm::lossKindChosen);
    form->addRow(tr("Model"), m_lossKind);
    registerField(QStringLiteral("$.channel"), group);
    registerField(QStringLiteral("$.channel.loss"), group);
    registerField(QStringLiteral("$.channel.loss.kind"), m_lossKind);

    m_lossPages = new QStackedWidget(group);
    auto page = [&]() {
        auto* w = new QWidget(m_lossPages);
        auto* f = new QFormLayout(w);
        f->setContentsMargins(0, 0, 0, 0);
        m_lossPages->addWidget(w);
        return f;
    };
    auto number = [&](QFormLayout* f, const QString& label, const char* key, double min, double max, int decimals,
                      const QString& suffix, const QString& tip) {
        auto* spin = new QDoubleSpinBox(f->parentWidget());
        spin->setRange(min, max);
        spin->setDecimals(decimals);
        spin->setSingleStep(decimals >= 3 ? 0.01 : 1.0);
        spin->setSuffix(suffix);
        spin->setToolTip(tip);
        const QString path = QStringLiteral("$.channel.loss.") + QLatin1String(key);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, path](double v) { emitValue(path, v); });
        registerField(path, spin);
        f->addRow(label, spin);
        return spin;
    };
    page();  // none: no parameters
    QFormLayout* bernoulli = page();
    m_lossP = number(bernoulli, tr("Loss probability"), "p", 0, 1, 4, {}, tr("\"p\": probability a frame is lost, per receiver"));
    QFormLayout* ge = page();
    m_geGoodToBad = number(ge, tr("P(good\u2192bad)"), "pGoodToBad", 0, 1, 4, {}, tr("\"pGoodToBad\": per frame"));
    m_geBadToGood = number(ge, tr("P(bad\u2192good)"), "pBadToGood", 0, 1, 4, {}, tr("\"pBadToGood\": per frame; mean burst = 1/p frames"));
    m_geLossGood = number(ge, tr("Loss when good"), "lossGood", 0, 1, 4, {}, tr("\"lossGood\": P(lost | good)"));
    m_geLossBad = number(ge, tr("Loss when bad"), "lossBad", 0, 1, 4, {}, tr("\"lossBad\": P(lost | bad)"));
    QFormLayout* distance = page();
    m_txPower = number(distance, tr("TX power"), "txPowerDbm", -40, 30, 1, tr(" dBm"), tr("\"txPowerDbm\": transmit power"));
    m_exponent = number(distance, tr("Path-loss exponent"), "exponent", 0.01, 10, 2, {}, tr("\"exponent\": 2 free space, ~3 indoors"));
    m_shadowing = number(distance, tr("Shadowing \u03c3"), "shadowingSigmaDb", 0, 50, 1, tr(" dB"), tr("\"shadowingSigmaDb\": log-normal shadowing, 0 = static"));
    m_referenceLoss = number(distance, tr("Loss at 1 m"), "referenceLossDb", 0, 200, 1, tr(" dB"), tr("\"referenceLossDb\": PL(d0)"));
    m_noiseFloor = number(distance, tr("Noise floor"), "noiseFloorDbm", -200, 0, 1, tr(" dBm"), tr("\"noiseFloorDbm\": receiver noise floor"));
    m_referenceDistance = number(distance, tr("Reference distance"), "referenceDistanceM", 0.001, 1e4, 2, tr(" m"),
                                 tr("\"referenceDistanceM\": d0 of the log-distance model"));
    form->addRow(m_lossPages);
    addLinkLists(form);
    addMoreSection(form, tr("More channel settings"), QStringLiteral("$.channel"), scenariofields::channelMore());
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildDeviceGroup()
{
    auto* group = new QGroupBox(tr("Devices"), this);
    auto* form = new QFormLayout(group);
    m_preset = new QComboBox(group);
    for (const char* name : {"EFR32MG24", "CC2652R", "nRF52840"})
        m_preset->addItem(QLatin1String(name), QLatin1String(name));
    m_preset->addItem(tr("custom (currents below)\u2026"), QStringLiteral("*custom"));
    m_preset->setToolTip(tr("\"device.preset\": radio and MCU currents of the devices"));
    connect(m_preset, &QComboBox::activated, this, [this](int i) {
        const QString name = m_preset->itemData(i).toString();
        if (name == QLatin1String("*custom")) {  // the shown preset's currents as an object, to edit below
            const auto base = sim::DevicePreset::builtin(m_presetGroup->input(QStringLiteral("preset.name"))->value()->toString());
            QJsonObject preset = (base ? *base : sim::DevicePreset::efr32mg24()).toJson();
            preset.insert(QStringLiteral("name"), QStringLiteral("custom"));
            emitValue(QStringLiteral("$.device.preset"), preset);
        } else if (!name.isEmpty()) {
            emitValue(QStringLiteral("$.device.preset"), name);
        }
    });
    m_battery = new QComboBox(group);
    m_battery->addItem(tr("CR2032 coin cell"), QStringLiteral("CR2032"));
    m_battery->addItem(tr("2\u00d7AA"), QStringLiteral("2xAA"));
    m_battery->setToolTip(tr("\"device.battery\": the ZEDs' battery"));
    connect(m_battery, &QComboBox::activated, this, [this](int i) {
        emitValue(QStringLiteral("$.device.battery"), m_battery->itemData(i).toString());
    });
    auto ms = [&](const char* key, int min, const QString& tip) {
        auto* spin = new QSpinBox(group);
        spin->setRange(min, INT_MAX);
        spin->setSuffix(tr(" ms"));
        spin->setGroupSeparatorShown(true);
        spin->setToolTip(tip);
        const QString path = QStringLiteral("$.device.") + QLatin1String(key);
        connect(spin, &QSpinBox::valueChanged, this, [this, path](int v) { emitValue(path, qint64(v)); });
        registerField(path, spin);
        return spin;
    };
    m_pollInterval = ms("pollIntervalMs", 1, tr("\"device.pollIntervalMs\": ZED long poll interval"));
    m_fastPollInterval = ms("fastPollIntervalMs", 0, tr("\"device.fastPollIntervalMs\": ZED poll interval while downloading, 0 = never switch"));
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("Battery"), m_battery);
    form->addRow(tr("Poll interval"), m_pollInterval);
    form->addRow(tr("Fast poll"), m_fastPollInterval);
    registerField(QStringLiteral("$.device"), group);
    registerField(QStringLiteral("$.device.preset"), m_preset);
    registerField(QStringLiteral("$.device.battery"), m_battery);
    addMoreSection(form, tr("More device settings"), QStringLiteral("$.device"), scenariofields::deviceMore());
    m_presetGroup = addMoreSection(form, tr("Custom preset (currents)"), QStringLiteral("$.device"), scenariofields::customPreset());
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildNetworkGroup()
{
    auto* group = new QGroupBox(tr("Zigbee network stack"), this);
    auto* form = new QFormLayout(group);
    addMoreSection(form, tr("APS, security, routing, rejoin"), QStringLiteral("$.network"), scenariofields::network());
    registerField(QStringLiteral("$.network"), group);
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildImageGroup()
{
    auto* group = new QGroupBox(tr("Image"), this);
    auto* form = new QFormLayout(group);
    m_imageGenerated = new QRadioButton(tr("generated"), group);
    m_imageFile = new QRadioButton(tr("OTA file"), group);
    auto* modes = new QButtonGroup(group);
    modes->addButton(m_imageGenerated);
    modes->addButton(m_imageFile);
    auto* modeRow = new QHBoxLayout;
    modeRow->addWidget(m_imageGenerated);
    modeRow->addWidget(m_imageFile);
    modeRow->addStretch(1);
    connect(m_imageFile, &QRadioButton::toggled, this, [this](bool on) {
        if (!m_populating)
            imageModeChosen(on);
    });
    m_imageSize = new QSpinBox(group);
    m_imageSize->setRange(1, 16 * 1024 * 1024);
    m_imageSize->setSuffix(tr(" bytes"));
    m_imageSize->setGroupSeparatorShown(true);
    m_imageSize->setToolTip(tr("\"images[0].generate.size\": payload bytes of the generated upgrade image"));
    connect(m_imageSize, &QSpinBox::valueChanged, this,
            [this](int v) { emitValue(QStringLiteral("$.images[0].generate.size"), qint64(v)); });
    m_fileVersion = new QLineEdit(group);
    m_fileVersion->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("(0[xX][0-9a-fA-F]{1,8}|[0-9]{1,10})")), m_fileVersion));
    m_fileVersion->setToolTip(tr("\"images[0].generate.fileVersion\": Zigbee file version of the new image"));
    connect(m_fileVersion, &QLineEdit::editingFinished, this, [this] {
        if (m_populating || !m_fileVersion->isModified())
            return;
        m_fileVersion->setModified(false);
        const auto v = parseInteger(m_fileVersion->text());
        if (v && *v <= 0xFFFFFFFFu)
            emitValue(QStringLiteral("$.images[0].generate.fileVersion"), hexVersion(std::uint32_t(*v)));
    });
    m_imagePath = new QLineEdit(group);
    m_imagePath->setPlaceholderText(tr("path to a Zigbee OTA file"));
    m_imagePath->setToolTip(tr("\"images[0].path\": relative to the scenario file's folder"));
    connect(m_imagePath, &QLineEdit::editingFinished, this, &ScenarioForm::imagePathEdited);
    m_browse = new QPushButton(tr("Browse\u2026"), group);
    connect(m_browse, &QPushButton::clicked, this, &ScenarioForm::browseImage);
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_imagePath, 1);
    pathRow->addWidget(m_browse);
    m_imageNote = new QLabel(group);
    m_imageNote->setWordWrap(true);
    m_imageNote->hide();
    form->addRow(tr("Source"), modeRow);
    form->addRow(tr("Size"), m_imageSize);
    form->addRow(tr("File version"), m_fileVersion);
    form->addRow(tr("File"), pathRow);
    form->addRow(m_imageNote);
    registerField(QStringLiteral("$.images"), group);
    registerField(QStringLiteral("$.images[0]"), group);
    registerField(QStringLiteral("$.images[0].generate"), m_imageSize);
    registerField(QStringLiteral("$.images[0].generate.size"), m_imageSize);
    registerField(QStringLiteral("$.images[0].generate.fileVersion"), m_fileVersion);
    registerField(QStringLiteral("$.images[0].path"), m_imagePath);
    addMoreSection(form, tr("More image settings"), QStringLiteral("$.images[0]"), scenariofields::imageMore());
    addListSection(form, tr("Further images"), QStringLiteral("$.images"), scenariofields::image(), tr("Image %1"), tr("Add image"),
                   tr("One image is rolled out. Add images for devices of another manufacturer or image type."),
                   [] {
                       return QJsonObject{{QStringLiteral("generate"), QJsonObject{{QStringLiteral("size"), 65536},
                                                                                 {QStringLiteral("imageType"), QStringLiteral("0x0002")}}}};
                   }, 1);
    m_inputs << group;
    return group;
}

QGroupBox* ScenarioForm::buildServerGroup()
{
    auto* group = new QGroupBox(tr("OTA server"), this);
    auto* form = new QFormLayout(group);
    m_blockSize = new QSpinBox(group);
    m_blockSize->setRange(1, 255);
    m_blockSize->setSuffix(tr(" bytes"));
    m_blockSize->setToolTip(tr("\"server.maxBlockDataSize\": cap on image data per Image Block Response"));
    connect(m_blockSize, &QSpinBox::valueChanged, this,
            [this](int v) { emitValue(QStringLiteral("$.server.maxBlockDataSize"), qint64(v)); });
    m_responseDelay = new QSpinBox(group);
    m_responseDelay->setRange(0, INT_MAX);
    m_responseDelay->setSuffix(tr(" ms"));
    m_responseDelay->setGroupSeparatorShown(true);
    m_responseDelay->setToolTip(tr("\"server.blockResponseDelayMs\": delay before each Image Block Response"));
    connect(m_responseDelay, &QSpinBox::valueChanged, this,
            [this](int v) { emitValue(QStringLiteral("$.server.blockResponseDelayMs"), qint64(v)); });
    form->addRow(tr("Block size"), m_blockSize);
    form->addRow(tr("Response delay"), m_responseDelay);
    registerField(QStringLiteral("$.server"), group);
    registerField(QStringLiteral("$.server.maxBlockDataSize"), m_blockSize);
    registerField(QStringLiteral("$.server.blockResponseDelayMs"), m_responseDelay);
    addMoreSection(form, tr("More server settings"), QStringLiteral("$.server"), scenariofields::serverMore());
    addMoreSection(form, tr("Default policy"), QStringLiteral("$.server.defaultPolicy"), scenariofields::policy(false));
    addListSection(form, tr("Per-device policies"), QStringLiteral("$.server.devicePolicies"), scenariofields::policy(true),
                   tr("Policy %1"), tr("Add device policy"),
                   tr("Every device gets the default policy. Add one to refuse, pin or hold a single device."),
                   [this] { return QJsonObject{{QStringLiteral("device"), nodeAddress(1)}, {QStringLiteral("authorized"), false}}; });
    m_inputs << group;
    return group;
}

void ScenarioForm::addLinkLists(QFormLayout* form)
{
    addListSection(form, tr("Per-router loss overrides"), QStringLiteral("$.channel.routerOverrides"), scenariofields::routerOverride(),
                   tr("Override %1"), tr("Add router override"),
                   tr("Every link uses the loss model above. Add an override for a different model on every link of one router, "
                      "from one time until another."),
                   [this] {
                       const std::uint16_t router = m_routerAddresses.size() > 1 ? m_routerAddresses[1] : 0;
                       return QJsonObject{{QStringLiteral("router"), hex4(router)}, {QStringLiteral("from"), 0},
                                          {QStringLiteral("loss"), QJsonObject{{QStringLiteral("kind"), QStringLiteral("bernoulli")},
                                                                               {QStringLiteral("p"), 0.1}}}};
                   });
    addListSection(form, tr("Link cuts"), QStringLiteral("$.channel.cuts"), scenariofields::cut(), tr("Cut %1"), tr("Add link cut"),
                   tr("No link is cut. Add a cut to take the link between two nodes down for a while (both directions)."),
                   [this] {
                       return QJsonObject{{QStringLiteral("a"), nodeAddress(0)}, {QStringLiteral("b"), nodeAddress(1)},
                                          {QStringLiteral("from"), 0}, {QStringLiteral("to"), 60}};
                   });
}

QGroupBox* ScenarioForm::buildClientGroup()
{
    auto* group = new QGroupBox(tr("OTA clients"), this);
    auto* form = new QFormLayout(group);
    addMoreSection(form, tr("Client settings"), QStringLiteral("$.client"), scenariofields::client());
    addListSection(form, tr("Per-device client overrides"), QStringLiteral("$.clientOverrides"), scenariofields::clientOverride(),
                   tr("Device override %1"), tr("Add client override"),
                   tr("Every device runs the client above. Add an override for a device that already runs another version, "
                      "asks for other block sizes or runs no client."),
                   [this] { return QJsonObject{{QStringLiteral("device"), nodeAddress(1)}}; });
    registerField(QStringLiteral("$.client"), group);
    m_inputs << group;
    return group;
}

ScenarioFieldGroup* ScenarioForm::addMoreSection(QFormLayout* form, const QString& title, const QString& objectPath,
                                                 const QList<ScenarioFieldSpec>& specs)
{
    auto* fields = new ScenarioFieldGroup(objectPath, specs);
    auto* section = new CollapsibleSection(title, fields, form->parentWidget());
    form->addRow(section);
    connect(fields, &ScenarioFieldGroup::edited, this, &ScenarioForm::emitEdits);
    for (auto it = fields->fields().cbegin(); it != fields->fields().cend(); ++it)
        registerField(it.key(), it.value());
    m_groups << fields;
    return fields;
}

ScenarioListEditor* ScenarioForm::addListSection(QFormLayout* form, const QString& title, const QString& arrayPath,
                                                 const QList<ScenarioFieldSpec>& specs, const QString& itemTitle, const QString& add,
                                                 const QString& empty, std::function<QJsonObject()> newItem, int firstIndex)
{
    auto* list = new ScenarioListEditor(arrayPath, specs, {itemTitle, add, empty}, std::move(newItem), firstIndex);
    auto* section = new CollapsibleSection(tr("%1 (0)").arg(title), list, form->parentWidget());
    form->addRow(section);
    connect(list, &ScenarioListEditor::edited, this, &ScenarioForm::emitEdits);
    connect(list, &ScenarioListEditor::countChanged, section, [this, section, title](int n) {
        section->setTitle(tr("%1 (%2)").arg(title).arg(n));
        if (n > 0)  // a list with elements is shown open (a new element, or a file that has some)
            section->setExpanded(true);
    });
    m_lists << list;
    m_listSections.insert(list, section);
    return list;
}

QHash<QString, QWidget*> ScenarioForm::allFields() const
{
    if (showsFleets())
        return m_fleets->fields();
    QHash<QString, QWidget*> out = m_fields;
    for (const ScenarioListEditor* list : m_lists)
        out.insert(list->fields());
    out.insert(m_rollout->fields());
    return out;
}

ScenarioListEditor* ScenarioForm::listEditor(const QString& arrayPath) const
{
    for (ScenarioListEditor* list : m_lists)
        if (list->arrayPath() == arrayPath)
            return list;
    return m_rollout->listEditor(arrayPath);
}

QString ScenarioForm::nodeAddress(int index) const
{
    if (m_nodeAddresses.empty())
        return hex4(std::uint16_t(index));
    return hex4(m_nodeAddresses[std::min<std::size_t>(std::size_t(index), m_nodeAddresses.size() - 1)]);
}

// --- edits -------------------------------------------------------------------------

void ScenarioForm::emitEdits(const QList<JsonEdit>& edits)
{
    if (!m_populating)
        Q_EMIT edited(edits);
}

void ScenarioForm::emitValue(const QString& path, const QJsonValue& value)
{
    emitEdits({JsonEdit{path, value}});
}

void ScenarioForm::showLossPage(int index)
{
    // Only the current page counts for the size, so "none" does not reserve room for
    // the six distance parameters.
    for (int i = 0; i < m_lossPages->count(); ++i)
        m_lossPages->widget(i)->setSizePolicy(QSizePolicy::Preferred, i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_lossPages->setCurrentIndex(index);
    m_lossPages->adjustSize();
}

void ScenarioForm::lossKindChosen(int index)
{
    if (m_populating || index < 0 || index > kLossDistance)
        return;
    showLossPage(index);
    // A fresh object (a stray "p" on another kind is an error), kind first, then the
    // parameters the form shows for that kind.
    QList<JsonEdit> edits{{QStringLiteral("$.channel.loss"), QJsonObject{{QStringLiteral("kind"), QLatin1String(kLossKinds[index])}}}};
    auto add = [&](const char* key, double v) { edits.append({QStringLiteral("$.channel.loss.") + QLatin1String(key), v}); };
    if (index == kLossBernoulli) {
        add("p", m_lossP->value());
    } else if (index == kLossGilbertElliott) {
        add("pGoodToBad", m_geGoodToBad->value());
        add("pBadToGood", m_geBadToGood->value());
        add("lossGood", m_geLossGood->value());
        add("lossBad", m_geLossBad->value());
    } else if (index == kLossDistance) {
        add("txPowerDbm", m_txPower->value());
        add("exponent", m_exponent->value());
        add("shadowingSigmaDb", m_shadowing->value());
    }
    emitEdits(edits);
}

void ScenarioForm::imageModeChosen(bool fromFile)
{
    m_imageSize->setEnabled(!fromFile);
    m_fileVersion->setEnabled(!fromFile);
    m_imagePath->setEnabled(fromFile);
    m_browse->setEnabled(fromFile);
    if (fromFile) {
        if (m_imagePath->text().trimmed().isEmpty())
            m_imagePath->setFocus();  // the edit is made once a path is given
        else
            imagePathEdited();
        return;
    }
    emitEdits({{QStringLiteral("$.images[0].path"), std::nullopt},
               {QStringLiteral("$.images[0].generate.size"), qint64(m_imageSize->value())}});
}

void ScenarioForm::imagePathEdited()
{
    const QString path = m_imagePath->text().trimmed();
    if (m_populating || path.isEmpty() || !m_imageFile->isChecked())
        return;
    emitEdits({{QStringLiteral("$.images[0].generate"), std::nullopt}, {QStringLiteral("$.images[0].path"), path}});
}

void ScenarioForm::browseImage()
{
    const QString chosen = QFileDialog::getOpenFileName(this, tr("Choose an OTA image"), m_baseDir,
                                                        tr("Zigbee OTA files (*.ota *.zigbee *.bin);;All files (*)"));
    if (chosen.isEmpty())
        return;
    const QString relative = m_baseDir.isEmpty() ? chosen : QDir(m_baseDir).relativeFilePath(chosen);
    m_imagePath->setText(relative.startsWith(QLatin1String("..")) ? chosen : relative);
    m_imageFile->setChecked(true);
    imagePathEdited();
}

// --- showing a config --------------------------------------------------------------

void ScenarioForm::updateTopologySummary()
{
    if (!m_routers->isEnabled())
        return;
    const qint64 routers = m_routers->value();
    const qint64 zeds = routers * m_zedsPerRouter->value();
    m_topologySummary->setText(fleetSummary(routers, zeds));
}

bool ScenarioForm::showsFleets() const { return !m_fleets->isHidden(); }

void ScenarioForm::setFleetsScenario(const QJsonObject& json)
{
    m_populating = true;
    clearFlag();  // the fleet groups may be rebuilt: the flag is set again by setFieldError
    m_errorFrame->setParent(this);
    for (QWidget* group : std::as_const(m_zigbeeGroups))
        group->hide();
    m_fleets->show();
    m_fleets->setScenario(json);
    m_populating = false;
}

void ScenarioForm::setConfig(const sim::RolloutConfig& c, const QString& description, const QJsonObject& scenario)
{
    m_populating = true;
    if (showsFleets()) {
        clearFlag();
        m_fleets->hide();
        for (QWidget* group : std::as_const(m_zigbeeGroups))
            group->show();
    }
    QJsonObject json = sim::scenarioToJson(c);
    if (!description.isEmpty())
        json.insert(QStringLiteral("description"), description);
    QJsonObject device = json.value(QStringLiteral("device")).toObject();
    if (!c.device.customPreset) {  // the custom preset inputs start from the named preset's currents
        if (const auto builtin = sim::DevicePreset::builtin(c.device.preset))
            device.insert(QStringLiteral("preset"), builtin->toJson());
        json.insert(QStringLiteral("device"), device);
    }
    for (ScenarioFieldGroup* group : std::as_const(m_groups))
        group->setValues(valueAtPath(json, group->objectPath()).toObject());
    bool listsResized = false;
    for (ScenarioListEditor* list : std::as_const(m_lists))
        listsResized |= list->count() != std::max<qsizetype>(0, valueAtPath(json, list->arrayPath()).toArray().size() - list->firstIndex());
    if (listsResized) {  // the flagged input may be one that is rebuilt
        clearFlag();
        m_errorFrame->setParent(this);
    }
    for (ScenarioListEditor* list : std::as_const(m_lists))
        list->setItems(valueAtPath(json, list->arrayPath()).toArray());
    m_presetGroup->setEnabled(c.device.customPreset.has_value());
    m_generateMore->setEnabled(std::holds_alternative<sim::GeneratedTopology>(c.topology));
    m_nodes->setEnabled(std::holds_alternative<sim::TopologySpec>(c.topology));
    m_nodes->addButton()->setVisible(std::holds_alternative<sim::TopologySpec>(c.topology));
    m_nodeAddresses.clear();
    m_routerAddresses.clear();
    if (const auto* g = std::get_if<sim::GeneratedTopology>(&c.topology)) {
        const std::uint32_t nodes = 1 + g->routers * (1 + g->zedsPerRouter) + g->zedsOnCoordinator;
        for (std::uint32_t a = 0; a < std::min<std::uint32_t>(nodes, 0xFFF8); ++a)
            m_nodeAddresses.push_back(std::uint16_t(a));
        for (std::uint32_t a = 0; a <= std::min<std::uint32_t>(g->routers, 0xFFF7); ++a)
            m_routerAddresses.push_back(std::uint16_t(a));
    } else {
        for (const sim::NodeSpec& n : std::get<sim::TopologySpec>(c.topology).nodes) {
            m_nodeAddresses.push_back(n.shortAddress);
            if (n.role != sim::NodeRole::EndDevice)
                m_routerAddresses.push_back(n.shortAddress);
        }
    }
    if (!m_name->hasFocus() || !m_name->isModified())
        m_name->setText(c.name);
    if (!m_seed->hasFocus() || !m_seed->isModified())
        m_seed->setText(QString::number(c.seed));
    setQuietly(m_until, c.stop.untilS);
    {
        const QSignalBlocker block(m_whenAllFinished);
        m_whenAllFinished->setChecked(c.stop.whenAllFinished);
    }

    const auto* generated = std::get_if<sim::GeneratedTopology>(&c.topology);
    for (QWidget* w : {static_cast<QWidget*>(m_routers), static_cast<QWidget*>(m_branching), static_cast<QWidget*>(m_zedsPerRouter),
                       static_cast<QWidget*>(m_placement), static_cast<QWidget*>(m_spacing)})
        w->setEnabled(generated != nullptr);
    if (generated) {
        setQuietly(m_routers, int(std::min<std::uint32_t>(generated->routers, 0xFFF7)));
        setQuietly(m_branching, int(std::min<std::uint32_t>(generated->branching, 0xFFF7)));
        setQuietly(m_zedsPerRouter, int(std::min<std::uint32_t>(generated->zedsPerRouter, 0xFFF7)));
        m_placement->setCurrentIndex(generated->placement == sim::Placement::Grid ? 0 : 1);
        setQuietly(m_spacing, generated->spacingM);
        const qint64 zeds = qint64(generated->routers) * generated->zedsPerRouter + generated->zedsOnCoordinator;
        m_topologySummary->setText(fleetSummary(generated->routers, zeds));
    } else {
        const auto& spec = std::get<sim::TopologySpec>(c.topology);
        m_topologySummary->setText(tr("Explicit node list (%1 nodes): edit \"topology.nodes\" in the JSON text.").arg(spec.nodes.size()));
    }

    const auto& loss = c.channel.loss;
    const int kind = loss.kind == sim::LossKind::Bernoulli        ? kLossBernoulli
                     : loss.kind == sim::LossKind::GilbertElliott ? kLossGilbertElliott
                     : loss.kind == sim::LossKind::Distance       ? kLossDistance
                                                                  : kLossNone;
    m_lossKind->setCurrentIndex(kind);
    showLossPage(kind);
    setQuietly(m_lossP, loss.p);
    setQuietly(m_geGoodToBad, loss.pGoodToBad);
    setQuietly(m_geBadToGood, loss.pBadToGood);
    setQuietly(m_geLossGood, loss.lossGood);
    setQuietly(m_geLossBad, loss.lossBad);
    setQuietly(m_txPower, loss.txPowerDbm);
    setQuietly(m_exponent, loss.exponent);
    setQuietly(m_shadowing, loss.shadowingSigmaDb);
    setQuietly(m_referenceLoss, loss.referenceLossDb);
    setQuietly(m_noiseFloor, loss.noiseFloorDbm);
    setQuietly(m_referenceDistance, loss.referenceDistanceM);

    if (c.device.customPreset) {
        m_preset->setItemText(m_preset->findData(QStringLiteral("*custom")), tr("custom: %1 (currents below)").arg(c.device.customPreset->name));
        m_preset->setCurrentIndex(m_preset->findData(QStringLiteral("*custom")));
    } else {
        m_preset->setItemText(m_preset->findData(QStringLiteral("*custom")), tr("custom (currents below)\u2026"));
        const int i = m_preset->findData(c.device.preset, Qt::UserRole, Qt::MatchFixedString);
        m_preset->setCurrentIndex(std::max(0, i));
    }
    m_battery->setCurrentIndex(std::max(0, m_battery->findData(c.device.battery, Qt::UserRole, Qt::MatchFixedString)));
    setQuietly(m_pollInterval, int(std::clamp<std::int64_t>(c.device.pollIntervalMs, 1, INT_MAX)));
    setQuietly(m_fastPollInterval, int(std::clamp<std::int64_t>(c.device.fastPollIntervalMs, 0, INT_MAX)));

    if (!c.images.empty()) {
        const sim::ImageConfig& image = c.images.front();
        const bool fromFile = !image.path.isEmpty();
        m_imageFile->setChecked(fromFile);
        m_imageGenerated->setChecked(!fromFile);
        m_imageSize->setEnabled(!fromFile);
        m_fileVersion->setEnabled(!fromFile);
        m_imagePath->setEnabled(fromFile);
        m_browse->setEnabled(fromFile);
        setQuietly(m_imageSize, int(std::min<std::uint32_t>(image.sizeBytes, 16 * 1024 * 1024)));
        if (!m_fileVersion->hasFocus() || !m_fileVersion->isModified())
            m_fileVersion->setText(hexVersion(image.fileVersion));
        if (fromFile && (!m_imagePath->hasFocus() || !m_imagePath->isModified())) {
            const QString relative = m_baseDir.isEmpty() ? image.path : QDir(m_baseDir).relativeFilePath(image.path);
            m_imagePath->setText(relative.startsWith(QLatin1String("..")) ? image.path : relative);
        }
    }
    m_imageNote->setVisible(c.images.size() > 1);
    m_imageNote->setText(tr("This group edits the first image; %n more under \"Further images\".", nullptr, int(c.images.size()) - 1));

    setQuietly(m_blockSize, int(c.server.maxBlockDataSize));
    setQuietly(m_responseDelay, int(std::clamp<std::int64_t>(c.server.blockResponseDelayMs, 0, INT_MAX)));
    if (m_flaggedPath.startsWith(QLatin1String("$.rollout"))) {  // its list inputs may be rebuilt
        clearFlag();
        m_errorFrame->setParent(this);
    }
    m_rollout->setScenario(scenario);
    m_populating = false;
}

// --- errors ------------------------------------------------------------------------

void ScenarioForm::clearFlag()
{
    if (QWidget* w = m_flaggedPath.isEmpty() ? nullptr : fieldWidget(m_flaggedPath)) {
        w->setToolTip(w->property("scenarioTip").toString());
        w->setProperty("scenarioError", false);
    }
    m_errorFrame->attach(nullptr);
    m_flaggedPath.clear();
}

void ScenarioForm::setFieldError(const std::optional<Error>& error)
{
    clearFlag();
    if (!error) {
        m_message->hide();
        m_message->clear();
        return;
    }
    QString best;
    const QHash<QString, QWidget*> fields = allFields();
    for (auto it = fields.cbegin(); it != fields.cend(); ++it)
        if (pathCovers(it.key(), error->field) && it.key().size() > best.size())
            best = it.key();
    QWidget* flagged = best.isEmpty() ? nullptr : fields.value(best);
    QString text;
    if (error->offset >= 0) {
        text = tr("The JSON text does not parse (%1). The form is locked until it does.").arg(error->message);
    } else {
        // "Block size ($.server.maxBlockDataSize): expected ...": the form's label where there is one.
        QString label;
        if (flagged && best == error->field)
            if (auto* form = qobject_cast<QFormLayout*>(flagged->parentWidget() ? flagged->parentWidget()->layout() : nullptr))
                if (auto* l = qobject_cast<QLabel*>(form->labelForField(flagged)))
                    label = l->text();
        text = label.isEmpty() ? QStringLiteral("%1: %2").arg(error->field, error->message)
                               : QStringLiteral("%1 (%2): %3").arg(label, error->field, error->message);
        if (!flagged)
            text += tr("\n(This setting is not in the form; fix it in the JSON text.)");
    }
    m_message->setText(text);
    m_message->setStyleSheet(QStringLiteral("QLabel { color: %1; background: #fdecea; border: 1px solid #e57373; padding: 6px; }")
                                 .arg(errorColor().name()));
    m_message->show();
    if (flagged) {
        flagged->setToolTip(QStringLiteral("<b>%1</b><br>%2").arg(error->field.toHtmlEscaped(), error->message.toHtmlEscaped()));
        flagged->setProperty("scenarioError", true);
        CollapsibleSection::revealAncestors(flagged);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        m_errorFrame->attach(flagged);
        m_flaggedPath = best;
        layout()->activate();  // the message took room from the scroll area: scroll with the final geometry
        m_scroll->ensureWidgetVisible(flagged, 20, 40);  // shown, not focused: the user may be typing in the JSON
    }
}

QString ScenarioForm::errorText() const { return m_message->isVisible() ? m_message->text() : QString(); }

void ScenarioForm::showNote(const QString& message)
{
    m_message->setText(message);
    m_message->setStyleSheet(QStringLiteral("QLabel { color: %1; padding: 6px; }").arg(errorColor().name()));
    m_message->setVisible(!message.isEmpty());
}

void ScenarioForm::setLocked(bool locked, const QString& reason)
{
    for (QWidget* w : m_inputs)
        w->setEnabled(!locked);
    setToolTip(locked ? reason : QString());
}

bool ScenarioForm::focusField(const QString& path)
{
    QWidget* w = fieldWidget(path);
    if (!w)
        return false;
    CollapsibleSection::revealAncestors(w);
    // Settle the grown form (pending layout requests only) so the scroll goes to the final place.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    m_scroll->ensureWidgetVisible(w);
    w->setFocus(Qt::OtherFocusReason);
    return true;
}

} // namespace otalab::app
