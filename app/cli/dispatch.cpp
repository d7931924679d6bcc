// SPDX-License-Identifier: Apache-2.0
// Routes "otalab-cli <group> <command> ..." to the command functions.
#include "app/cli/cli.h"
#include "app/cli/commands.h"

#include <QCoreApplication>

namespace otalab::cli {
namespace {

struct CommandEntry {
    QStringList path;     // e.g. {"image", "create", "zigbee"}
    CommandFn run;
    const char* summary;  // one line for the overview
};

const std::vector<CommandEntry>& commands()
{
    static const std::vector<CommandEntry> table = {
        {{QStringLiteral("run")}, runCommand,
         "Run a simulated OTA rollout from a scenario file and write its report"},
        {{QStringLiteral("fuota"), QStringLiteral("redundancy")}, fuotaRedundancyCommand,
         "Run a LoRaWAN FUOTA scenario per FEC redundancy value: completion, duration, mAh (CSV + plots)"},
        {{QStringLiteral("lora"), QStringLiteral("airtime")}, loraAirtimeCommand, "LoRa time on air per data rate of a region, with the 1 % duty-cycle wait"},
        {{QStringLiteral("sweep")}, sweepCommand,
         "Run every combination of --vary scenario keys x --seeds on every core (or --plan it for Slurm/Kubernetes); merged table + plots"},
        {{QStringLiteral("sweep-run")}, sweepRunCommand, "Do one run of a planned sweep (--index I, or the Slurm/Kubernetes task index)"},
        {{QStringLiteral("sweep"), QStringLiteral("merge")}, sweepMergeCommand,
         "Merge what a sweep's runs wrote: sweep-runs.csv, sweep-summary.csv, plots, sweep.html; list missing runs"},
        {{QStringLiteral("image"), QStringLiteral("inspect")}, imageInspectCommand,
         "Show the header, elements/TLVs and checks of a Zigbee OTA or MCUboot image"},
        {{QStringLiteral("image"), QStringLiteral("verify")}, imageVerifyCommand,
         "Check integrity and signature against a public key; exit 0 only if valid"},
        {{QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("zigbee")}, zigbeeCreateCommand,
         "Build a Zigbee OTA file from a raw firmware binary"},
        {{QStringLiteral("image"), QStringLiteral("create"), QStringLiteral("mcuboot")}, mcubootCreateCommand,
         "Build an MCUboot image from a raw binary (same bytes as imgtool sign)"},
        {{QStringLiteral("image"), QStringLiteral("sign")}, imageSignCommand,
         "Sign an existing Zigbee OTA file or MCUboot image"},
        {{QStringLiteral("image"), QStringLiteral("keygen")}, imageKeygenCommand,
         "Generate a signing or encryption key pair (PEM)"},
        {{QStringLiteral("mcuboot"), QStringLiteral("powercut")}, mcubootPowercutCommand,
         "Cut power at every flash operation of a simulated MCUboot upgrade; check every cut recovers"},
        {{QStringLiteral("smp")}, smpCommand,
         "Manage a Zephyr/MCUboot board over mcumgr SMP (serial, UDP, BLE): list, upload, test, confirm"},
        {{QStringLiteral("target"), QStringLiteral("serve")}, targetServeCommand,
         "Run an emulated Zephyr/MCUboot board on a serial port/pty or UDP (--mqtt: a FreeRTOS OTA device; --ocf: an OCF device on CoAP)"},
        {{QStringLiteral("jobs"), QStringLiteral("serve")}, jobsServeCommand,
         "Run the AWS IoT Jobs + MQTT streams service on a broker (FreeRTOS OTA devices upgrade from it)"},
        {{QStringLiteral("jobs"), QStringLiteral("create")}, jobsCreateCommand,
         "Sign an image and create an OTA job with its rollout on a running jobs service"},
        {{QStringLiteral("jobs"), QStringLiteral("list")}, jobsListCommand, "List the jobs of a running jobs service"},
        {{QStringLiteral("jobs"), QStringLiteral("describe")}, jobsDescribeCommand,
         "Show a job's executions: state, execution number, statusDetails, blocks"},
        {{QStringLiteral("jobs"), QStringLiteral("cancel")}, jobsCancelCommand, "Cancel a job (--force: in-progress executions too)"},
        {{QStringLiteral("fuota"), QStringLiteral("fragment")}, fuotaCommand, "Cut a data block into a LoRaWAN TS004 fragment stream with FEC (v1/v2)"},
        {{QStringLiteral("fuota"), QStringLiteral("decode")}, fuotaCommand, "Rebuild a data block from any subset of a TS004 fragment stream"},
        {{QStringLiteral("awsota"), QStringLiteral("sign")}, awsotaCommand,
         "Sign a firmware file for FreeRTOS OTA (ECDSA P-256, SHA-256, DER) and print the base64 signature"},
        {{QStringLiteral("awsota"), QStringLiteral("verify")}, awsotaCommand, "Verify a FreeRTOS OTA code signature against a certificate"},
        {{QStringLiteral("awsota"), QStringLiteral("keygen")}, awsotaCommand, "Make a TEST-ONLY P-256 code-signing key and self-signed certificate"},
        {{QStringLiteral("awsota"), QStringLiteral("jobdoc")}, awsotaCommand, "Print a signed afr_ota job document (JSON) for an MQTT OTA job"},
        {{QStringLiteral("ocf")}, ocfCommand,
         "OCF software update over CoAP: --conn coap://HOST status | check | validate | upgrade [--watch]"},
        {{QStringLiteral("ocf"), QStringLiteral("discover")}, ocfCommand, "Find OCF devices: GET /oic/res (multicast or --conn)"},
        {{QStringLiteral("ocf"), QStringLiteral("serve-image")}, ocfServeImageCommand,
         "Serve an image over CoAP block-wise (RFC 7959) for OCF devices' purl"},
    };
    return table;
}

void printOverview(QTextStream& s, const QString& prefix)
{
    s << "Usage: otalab-cli <command> [options]   (every command accepts --help)\n\n"
      << "OTA Lab " << QCoreApplication::applicationVersion() << " — firmware-over-the-air lab, headless.\n\n"
      << "Commands:\n";
    for (const CommandEntry& c : commands()) {
        const QString name = c.path.join(QLatin1Char(' '));
        if (!name.startsWith(prefix))
            continue;
        s << "  " << name.leftJustified(24) << " " << c.summary << "\n";
    }
    s << "\nExit codes: 0 ok/valid, 1 invalid image or failed check (smp: the board refused), 2 usage error,\n"
         "3 file error, 4 the board could not be reached or stopped answering.\n";
    s.flush();
}

} // namespace

int runCli(const QStringList& argv, CliIo& io)
{
    const QStringList words = argv.mid(1);
    if (words.isEmpty() || words.first() == QStringLiteral("--help") || words.first() == QStringLiteral("-h")
        || words.first() == QStringLiteral("help")) {
        printOverview(io.out, {});
        return words.isEmpty() ? ExitUsage : ExitOk;
    }
    if (words.first() == QStringLiteral("--version")) {
        io.out << "otalab-cli " << QCoreApplication::applicationVersion() << "\n";
        return ExitOk;
    }
    // Longest command path that prefixes the words wins.
    const CommandEntry* best = nullptr;
    for (const CommandEntry& c : commands())
        if (words.size() >= c.path.size() && words.mid(0, c.path.size()) == c.path
            && (!best || c.path.size() > best->path.size()))
            best = &c;
    if (!best) {
        // A known group without a (valid) subcommand: list the group's commands.
        QString prefix;
        for (const QString& w : words) {
            const QString candidate = prefix.isEmpty() ? w : prefix + QLatin1Char(' ') + w;
            bool known = false;
            for (const CommandEntry& c : commands())
                known = known || c.path.join(QLatin1Char(' ')).startsWith(candidate + QLatin1Char(' '));
            if (!known)
                break;
            prefix = candidate;
        }
        if (!prefix.isEmpty() && words.join(QLatin1Char(' ')) == prefix) {
            printOverview(io.out, prefix);
            return ExitUsage;
        }
        // "otalab-cli jobs --help": the group's commands, as asked.
        const QString last = words.last();
        if (!prefix.isEmpty() && (last == QStringLiteral("--help") || last == QStringLiteral("-h"))
            && words.mid(0, words.size() - 1).join(QLatin1Char(' ')) == prefix) {
            printOverview(io.out, prefix);
            return ExitOk;
        }
        io.err << "error: unknown command '" << words.join(QLatin1Char(' ')) << "'\n"
               << "Run 'otalab-cli --help' for the list of commands.\n";
        io.err.flush();
        return ExitUsage;
    }
    QStringList args{QStringLiteral("otalab-cli ") + best->path.join(QLatin1Char(' '))};
    args += words.mid(best->path.size());
    return best->run(args, io);
}

} // namespace otalab::cli
