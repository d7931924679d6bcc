// SPDX-License-Identifier: Apache-2.0
// What `otalab-cli smp` prints: the image table (text and JSON), slot info, sizes, rates,
// durations, and the upload progress line on stderr.
#pragma once

#include "core/mcuboot/image_format.h"
#include "core/smp/smp_messages.h"
#include "core/smp/smp_operation.h"

#include <QString>
#include <QTextStream>

namespace otalab::cli {

QString formatBytes(qint64 bytes);            // "512 B", "40.0 KiB", "1.50 MiB"
QString formatRate(double bytesPerSecond);    // "33.1 KiB/s"
QString formatSeconds(double seconds);        // "0.84 s", "12.3 s", "2 min 05 s"
QString shortHash(const QByteArray& hash);    // first 4 bytes in hex: "3f2a9c1e"
// As Zephyr's img_mgmt prints a version: "1.2.3", with ".build" when the build is not 0.
QString versionText(const core::mcuboot::ImageVersion& version);

// Table with a header line: image, slot, version, hash (short), flags.
QString imageStateTable(const core::smp::ImageStateResponse& state);
// {"images": [{"image", "slot", "version", "hash" (64 hex), "bootable", "pending",
// "confirmed", "active", "permanent"}], "splitStatus"?} as indented JSON.
QString imageStateJson(const core::smp::ImageStateResponse& state);
QString slotInfoTable(const QList<core::smp::SlotInfo>& slots);
QString slotInfoJson(const QList<core::smp::SlotInfo>& slots);

// The upload progress line: "upload  45 %  18.0 of 40.0 KiB  33.1 KiB/s  ETA 1 s".
QString progressText(const core::smp::Progress& progress);

// Draws progress on stderr. Live (a terminal): one line redrawn in place at most 10 times
// a second. Otherwise one line each time another 10 % is reached.
class ProgressPrinter {
public:
    ProgressPrinter(QTextStream& err, bool live) : m_err(err), m_live(live) {}
    void show(const core::smp::Progress& progress);
    // Clears a live line (call before printing anything else).
    void clear();

private:
    QTextStream& m_err;
    bool m_live;
    bool m_drawn = false;
    int m_lastDecile = -1;
    qint64 m_lastDrawMs = -1000;
};

// True when stderr is a terminal (progress redrawn in place).
bool stderrIsTerminal();

} // namespace otalab::cli
