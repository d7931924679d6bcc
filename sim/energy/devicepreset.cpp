// SPDX-License-Identifier: Apache-2.0
#include "sim/energy/devicepreset.h"

#include "core/common/jsontypename.h"

#include <QJsonValue>
#include <QStringList>

#include <cmath>

namespace otalab::sim {
namespace {

// None of the three data sheets' flash program/erase currents could be verified, so
// every preset uses one assumption: active current + 1 mA (typical order of
// embedded-NOR program/erase current). One place to change when a source is found.
void assumeFlashCurrents(DevicePreset::Cpu& cpu)
{
    cpu.flashEraseA = cpu.activeA + 1.0e-3;
    cpu.flashWriteA = cpu.activeA + 1.0e-3;
}

} // namespace

DevicePreset DevicePreset::efr32mg24()
{
    DevicePreset p;
    p.name = QStringLiteral("EFR32MG24");
    // Silicon Labs "EFR32MG24 Wireless SoC Family Data Sheet", feature summary
    // ("Low Active Current" list, VDD = 3.0 V): typical, as quoted from that summary
    // by github.com/SoCXin/EFR32MG24 — not verified against the electrical tables.
    p.supplyVoltageV = 3.0;
    p.txPowerDbm = 0.0;
    p.radio.sleepA = 0.0;      // radio off: included in the EM2 figure below
    p.radio.rxA = 5.1e-3;      // "5.1 mA RX current (250 kbps O-QPSK DSSS)"
    p.radio.idleA = 5.1e-3;    // listening = RX current
    p.radio.txA = 5.0e-3;      // "5 mA TX current @ 0 dBm output power"
    p.cpu.sleepA = 1.3e-6;     // "1.3 µA EM2 DeepSleep current (16 kB RAM retention, RTC from LFRCO)"
    p.cpu.activeA = 33.4e-6 * 39.0; // "33.4 µA/MHz in Active Mode (EM0) at 39.0 MHz" = 1.30 mA
    // Flash erase/program supply current: not in the summary. Assumption: active
    // current + 1 mA (typical order of embedded-NOR program/erase current).
    assumeFlashCurrents(p.cpu);
    return p;
}

DevicePreset DevicePreset::cc2652r()
{
    DevicePreset p;
    p.name = QStringLiteral("CC2652R");
    // Texas Instruments "CC2652R SimpleLink Multiprotocol 2.4-GHz Wireless MCU",
    // SWRS207, section 1 Features (low-power list, VDDS = 3.0 V). Typical, from that
    // feature list as commonly quoted — the search tool did not return the data
    // sheet's tables 8.5/8.6 text, so these are not verified here.
    p.supplyVoltageV = 3.0;
    p.txPowerDbm = 0.0;
    p.radio.sleepA = 0.0;
    p.radio.rxA = 6.9e-3;      // "Active-mode RX: 6.9 mA"
    p.radio.idleA = 6.9e-3;
    p.radio.txA = 7.3e-3;      // "Active-mode TX at 0 dBm: 7.3 mA"
    p.cpu.sleepA = 0.94e-6;    // "Standby: 0.94 µA (RTC on, 80 kB RAM and CPU retention)"
    p.cpu.activeA = 3.4e-3;    // "Active-mode MCU 48 MHz (CoreMark): 3.4 mA (71 µA/MHz)"
    // Flash erase/program current (table 8.7): not verified; assumption as above.
    assumeFlashCurrents(p.cpu);
    return p;
}

DevicePreset DevicePreset::nrf52840()
{
    DevicePreset p;
    p.name = QStringLiteral("nRF52840");
    // Nordic Semiconductor "nRF52840 Product Specification" v1.x, Electrical
    // specification → Current consumption → "Radio transmitting/receiving" table
    // (docs.nordicsemi.com/bundle/ps_nrf52840, parameters.i_radio; 3 V, DC/DC, HFXO).
    p.supplyVoltageV = 3.0;
    p.txPowerDbm = 0.0;
    p.radio.sleepA = 0.0;
    p.radio.rxA = 6.53e-3;     // IRADIO_RX2: receiving, 250 kbit/s IEEE 802.15.4-2006, DC/DC
    p.radio.idleA = 6.53e-3;
    p.radio.txA = 6.40e-3;     // IRADIO_TX5: 0 dBm, 250 kbit/s IEEE 802.15.4-2006, DC/DC
    // Sleep and CPU: typical, from secondary sources quoting the same specification
    // ("CPU running" and "Sleep" tables), not verified from the table text here.
    p.cpu.sleepA = 1.5e-6;     // System ON, RTC running, RAM retained (typical)
    p.cpu.activeA = 3.3e-3;    // CPU running CoreMark from flash @ 64 MHz, DC/DC (typical)
    // NVMC erase/write current: not verified; assumption as above. (The CPU is halted
    // while the NVMC writes — PS "NVMC" chapter — so the active current is the floor.)
    assumeFlashCurrents(p.cpu);
    return p;
}

std::optional<DevicePreset> DevicePreset::builtin(const QString& name)
{
    for (DevicePreset p : {efr32mg24(), cc2652r(), nrf52840()}) {
        if (p.name.compare(name, Qt::CaseInsensitive) == 0)
            return p;
    }
    return std::nullopt;
}

std::array<double, kRadioStateCount> DevicePreset::radioCurrentsA() const
{
    return {radio.sleepA, radio.idleA, radio.rxA, radio.txA};
}

std::array<double, kCpuStateCount> DevicePreset::cpuCurrentsA() const
{
    return {cpu.sleepA, cpu.activeA, cpu.flashEraseA, cpu.flashWriteA};
}

namespace {

Result<void> rejectUnknownKeys(const QJsonObject& obj, const QString& path, const QStringList& known)
{
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (!known.contains(it.key()))
            return fail(Error::at(-1, path + QLatin1Char('.') + it.key(),
                                  QStringLiteral("unknown key; expected one of: %1").arg(known.join(QStringLiteral(", ")))));
    }
    return {};
}

// A required finite number; `minExclusive` selects > min instead of >= min.
Result<double> number(const QJsonObject& obj, const QString& path, const QString& key,
                      double min, bool minExclusive, const char* unit)
{
    const QJsonValue v = obj.value(key);
    const QString field = path + QLatin1Char('.') + key;
    if (!v.isDouble())
        return fail(Error::at(-1, field, QStringLiteral("expected a number (%1), got %2")
                                             .arg(QLatin1String(unit), jsonTypeName(v))));
    const double d = v.toDouble();
    const bool ok = std::isfinite(d) && (minExclusive ? d > min : d >= min);
    if (!ok)
        return fail(Error::at(-1, field, QStringLiteral("expected a number %1 %2 (%3), got %4")
                                             .arg(minExclusive ? QStringLiteral(">") : QStringLiteral(">="))
                                             .arg(min).arg(QLatin1String(unit)).arg(d)));
    return d;
}

Result<QJsonObject> object(const QJsonObject& obj, const QString& path, const QString& key)
{
    const QJsonValue v = obj.value(key);
    if (!v.isObject())
        return fail(Error::at(-1, path + QLatin1Char('.') + key,
                              QStringLiteral("expected an object, got %1").arg(jsonTypeName(v))));
    return v.toObject();
}

} // namespace

Result<DevicePreset> DevicePreset::fromJson(const QJsonObject& json, const QString& path)
{
    DevicePreset p;
    if (auto r = rejectUnknownKeys(json, path, {QStringLiteral("name"), QStringLiteral("supplyVoltageV"),
                                                QStringLiteral("txPowerDbm"), QStringLiteral("radio"),
                                                QStringLiteral("cpu")});
        !r)
        return fail(r.error());

    const QJsonValue name = json.value(QStringLiteral("name"));
    if (!name.isString() || name.toString().isEmpty())
        return fail(Error::at(-1, path + QStringLiteral(".name"),
                              QStringLiteral("expected a non-empty string, got %1").arg(jsonTypeName(name))));
    p.name = name.toString();

    auto volts = number(json, path, QStringLiteral("supplyVoltageV"), 0.0, true, "V");
    if (!volts)
        return fail(volts.error());
    p.supplyVoltageV = *volts;

    if (json.contains(QStringLiteral("txPowerDbm"))) {
        const QJsonValue v = json.value(QStringLiteral("txPowerDbm"));
        if (!v.isDouble() || !std::isfinite(v.toDouble()))
            return fail(Error::at(-1, path + QStringLiteral(".txPowerDbm"),
                                  QStringLiteral("expected a number (dBm), got %1").arg(jsonTypeName(v))));
        p.txPowerDbm = v.toDouble();
    }

    struct Field {
        const char* key;
        double* target;
    };
    const QString radioPath = path + QStringLiteral(".radio");
    auto radio = object(json, path, QStringLiteral("radio"));
    if (!radio)
        return fail(radio.error());
    if (auto r = rejectUnknownKeys(*radio, radioPath, {QStringLiteral("sleepA"), QStringLiteral("idleA"),
                                                       QStringLiteral("rxA"), QStringLiteral("txA")});
        !r)
        return fail(r.error());
    for (const Field& f : {Field{"sleepA", &p.radio.sleepA}, Field{"idleA", &p.radio.idleA},
                           Field{"rxA", &p.radio.rxA}, Field{"txA", &p.radio.txA}}) {
        auto v = number(*radio, radioPath, QLatin1String(f.key), 0.0, false, "A");
        if (!v)
            return fail(v.error());
        *f.target = *v;
    }

    const QString cpuPath = path + QStringLiteral(".cpu");
    auto cpu = object(json, path, QStringLiteral("cpu"));
    if (!cpu)
        return fail(cpu.error());
    if (auto r = rejectUnknownKeys(*cpu, cpuPath, {QStringLiteral("sleepA"), QStringLiteral("activeA"),
                                                   QStringLiteral("flashEraseA"), QStringLiteral("flashWriteA")});
        !r)
        return fail(r.error());
    for (const Field& f : {Field{"sleepA", &p.cpu.sleepA}, Field{"activeA", &p.cpu.activeA},
                           Field{"flashEraseA", &p.cpu.flashEraseA},
                           Field{"flashWriteA", &p.cpu.flashWriteA}}) {
        auto v = number(*cpu, cpuPath, QLatin1String(f.key), 0.0, false, "A");
        if (!v)
            return fail(v.error());
        *f.target = *v;
    }
    return p;
}

QJsonObject DevicePreset::toJson() const
{
    return QJsonObject{
        {QStringLiteral("name"), name},
        {QStringLiteral("supplyVoltageV"), supplyVoltageV},
        {QStringLiteral("txPowerDbm"), txPowerDbm},
        {QStringLiteral("radio"), QJsonObject{{QStringLiteral("sleepA"), radio.sleepA},
                                              {QStringLiteral("idleA"), radio.idleA},
                                              {QStringLiteral("rxA"), radio.rxA},
                                              {QStringLiteral("txA"), radio.txA}}},
        {QStringLiteral("cpu"), QJsonObject{{QStringLiteral("sleepA"), cpu.sleepA},
                                            {QStringLiteral("activeA"), cpu.activeA},
                                            {QStringLiteral("flashEraseA"), cpu.flashEraseA},
                                            {QStringLiteral("flashWriteA"), cpu.flashWriteA}}},
    };
}

} // namespace otalab::sim
