// SPDX-License-Identifier: Apache-2.0
// Every otalab-cli command. Each takes its own argv (args[0] = full command name).
#pragma once

#include "app/cli/cli.h"

namespace otalab::cli {

int imageInspectCommand(const QStringList& args, CliIo& io);  // image_inspect_command.cpp
int imageVerifyCommand(const QStringList& args, CliIo& io);   // image_inspect_command.cpp
int imageKeygenCommand(const QStringList& args, CliIo& io);   // image_keygen_command.cpp
int imageSignCommand(const QStringList& args, CliIo& io);     // image_sign_command.cpp: dispatches by format

int zigbeeCreateCommand(const QStringList& args, CliIo& io);  // zigbee_image_commands.cpp
int zigbeeSignCommand(const QStringList& args, CliIo& io);    // zigbee_image_commands.cpp
int mcubootCreateCommand(const QStringList& args, CliIo& io); // mcuboot_image_commands.cpp
int mcubootSignCommand(const QStringList& args, CliIo& io);   // mcuboot_image_commands.cpp
int mcubootPowercutCommand(const QStringList& args, CliIo& io); // mcuboot_powercut_command.cpp: power-cut campaign

int runCommand(const QStringList& args, CliIo& io);           // run_command.cpp: simulated rollout
int fuotaRedundancyCommand(const QStringList& args, CliIo& io); // fuota_redundancy_command.cpp: redundancy vs completion
int loraAirtimeCommand(const QStringList& args, CliIo& io);     // lora_command.cpp: LoRa time on air per data rate
int sweepCommand(const QStringList& args, CliIo& io);           // sweep_command.cpp: parameter sweep, local or --plan
int sweepRunCommand(const QStringList& args, CliIo& io);        // sweep_run_command.cpp: one run of a planned sweep
int sweepMergeCommand(const QStringList& args, CliIo& io);      // sweep_run_command.cpp: merge a sweep folder

int smpCommand(const QStringList& args, CliIo& io);           // smp_command.cpp: real boards over SMP
int targetServeCommand(const QStringList& args, CliIo& io);   // target_serve_command.cpp: emulated board
int fuotaCommand(const QStringList& args, CliIo& io);         // fuota_command.cpp: fuota fragment | fuota decode (by args[0])
int awsotaCommand(const QStringList& args, CliIo& io);        // awsota_sign_command.cpp: awsota sign | verify | keygen | jobdoc (by args[0])
// The real jobs service over MQTT (jobs_*.cpp) and the emulated FreeRTOS OTA device.
int jobsServeCommand(const QStringList& args, CliIo& io);      // jobs_serve_command.cpp
int jobsCreateCommand(const QStringList& args, CliIo& io);     // jobs_create_command.cpp
int jobsListCommand(const QStringList& args, CliIo& io);       // jobs_query_commands.cpp
int jobsDescribeCommand(const QStringList& args, CliIo& io);   // jobs_query_commands.cpp
int jobsCancelCommand(const QStringList& args, CliIo& io);     // jobs_query_commands.cpp
bool wantsMqttTarget(const QStringList& args);                 // target_mqtt_serve.cpp: --mqtt given
int targetServeMqttCommand(const QStringList& args, CliIo& io); // target_mqtt_serve.cpp
// OCF software update over CoAP/UDP (ocf_*.cpp, target_ocf_*.cpp).
int ocfCommand(const QStringList& args, CliIo& io);             // ocf_command.cpp: status|check|validate|upgrade|discover
int ocfServeImageCommand(const QStringList& args, CliIo& io);   // ocf_serve_image_command.cpp
bool wantsOcfTarget(const QStringList& args);                   // target_ocf_serve.cpp: --ocf given
int targetServeOcfCommand(const QStringList& args, CliIo& io);  // target_ocf_serve.cpp

} // namespace otalab::cli
