// SPDX-License-Identifier: Apache-2.0
// Shared helpers for the GUI tests: one QApplication per process and hand-built inspections.
#pragma once

#include "core/image/inspection.h"

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <gtest/gtest.h>

namespace otalab::testing {

// This process's private settings folder (removed at exit).
inline QString settingsDir()
{
    static QTemporaryDir dir;
    return dir.path();
}

// Creates the process's QApplication on first use (tests link gtest_main, so there
// is no main() to do it). QT_QPA_PLATFORM=offscreen is set by ctest; it is
// defaulted here too so the binary runs headless when started by hand. Settings go
// to a per-process temporary folder, other paths to QStandardPaths' test locations. Any test that needs a QCoreApplication in
// this binary must call this instead of making its own.
inline QApplication* ensureApp()
{
    static int argc = 1;
    static char name[] = "otalab_app_tests";
    static char* argv[] = {name, nullptr};
    if (auto* existing = qobject_cast<QApplication*>(QCoreApplication::instance()))
        return existing;
    if (QCoreApplication::instance()) {
        ADD_FAILURE() << "a QCoreApplication exists; GUI tests need a QApplication (use ensureApp() everywhere)";
        return nullptr;
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QStandardPaths::setTestModeEnabled(true);
    // ctest runs test cases in parallel processes: give each its own settings file.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settingsDir());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir());
    // Never destroyed: a function-static QApplication would be destroyed by the exit
    // handlers after Qt's own globals and crash; the OS reclaims it at exit.
    static QApplication* app = new QApplication(argc, argv);
    return app;
}

// A Zigbee-like inspection with one error at header.totalImageSize (0x1c, 4 bytes),
// one warning at elements[0].length, an invalid signature and 256 bytes of data:
//   file [0,256) > header [0,0x38) > {identifier [0,4), totalImageSize [0x1c,4)}
//                > elements [0x38,200) > element [0x38,200) > {tag, length, data}
inline core::image::Node makeNode(const char* name, const char* label, const char* value, qint64 offset, qint64 size)
{
    core::image::Node node;
    node.name = QString::fromUtf8(name);
    node.label = QString::fromUtf8(label);
    node.value = QString::fromUtf8(value);
    node.offset = offset;
    node.size = size;
    return node;
}

inline core::image::Inspection brokenInspection()
{
    using namespace core::image;
    Inspection in;
    in.format = Format::ZigbeeOta;
    in.formatName = QStringLiteral("Zigbee OTA file");
    in.bytes = QByteArray(256, '\0');
    for (int i = 0; i < in.bytes.size(); ++i)
        in.bytes[i] = char(i);
    in.root = makeNode("file", "Zigbee OTA file", "256 bytes", 0, 256);
    Node& header = in.root.add(makeNode("header", "OTA header", "56 bytes", 0, 0x38));
    header.add(makeNode("identifier", "OTA upgrade file identifier", "0x0beef11e", 0, 4));
    Node size = makeNode("totalImageSize", "Total image size", "9999 bytes", 0x1c, 4);
    size.problem = true;
    header.add(size);
    Node& elements = in.root.add(makeNode("elements", "Sub-elements", "", 0x38, 200));
    Node& element = elements.add(makeNode("element[0]", "Upgrade image", "", 0x38, 200));
    element.add(makeNode("tag", "Tag", "0x0000", 0x38, 2));
    element.add(makeNode("length", "Length", "194", 0x3a, 4));
    element.add(makeNode("data", "Data", "194 bytes", 0x3e, 194));
    in.warning(QStringLiteral("elements.element[0].length"), 0x3a, QStringLiteral("length is odd"));
    in.error(QStringLiteral("header.totalImageSize"), 0x1c,
             QStringLiteral("total image size 9999 does not match the file size 256"));
    in.integrity = Badge{CheckState::Absent, QStringLiteral("no integrity code")};
    in.signature = Badge{CheckState::Invalid, QStringLiteral("ECDSA over [0, 0xc0) does not verify")};
    in.encryption = Badge{CheckState::Unchecked, QStringLiteral("no decryption key")};
    return in;
}

} // namespace otalab::testing
