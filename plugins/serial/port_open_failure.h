// SPDX-License-Identifier: Apache-2.0
// Why an existing serial port could not be opened when QSerialPort reports PermissionError.
// Qt reports three different situations that way — another program holds the port (its
// QLockFile, or TIOCEXCL → EBUSY), a lock file is left behind, or this user really lacks
// permission — and each needs a different fix.
#pragma once

#include "port_holders.h"

namespace otalab::plugins::serial {

struct PortDiagnosis {
    QList<PortHolder> holders;      // processes with the port open
    QList<PortLock> locks;          // lock files naming the port
    bool accessible = true;         // this process may open it for reading and writing (access(2))
    QString group;                  // the device node's group ("dialout"); empty when unknown
    bool memberAfterLogin = false;  // the user is in `group` in the group database, not yet in this session
    qint64 selfPid = 0;             // this process: "this program" in the message
};

// Reads the live system: /proc, the lock directories, access(2) and the group database.
PortDiagnosis diagnosePort(const QString& port);

// One message a user can act on, most likely cause first: the programs that hold the port
// ("close the program that holds the port (pid 1234, minicom)"), else a lock file, else a
// permission fix naming the device's group — the last only when the port is not
// accessible. `qtError` (QSerialPort::errorString) is appended in parentheses.
QString describePortOpenFailure(const QString& port, const PortDiagnosis& diagnosis, const QString& qtError);

} // namespace otalab::plugins::serial
