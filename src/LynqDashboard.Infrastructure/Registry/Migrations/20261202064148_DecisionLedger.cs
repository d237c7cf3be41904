using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Migrations
{
    /// <inheritdoc />
    public partial class DecisionLedger : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    request_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    caller = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    model_version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    model_number = table.Column<int>(type: "INTEGER", nullable: true),
                    model_sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    policy_version = table.Column<int>(type: "INTEGER", nullable: false),
                    features = table.Column<byte[]>(type: "BLOB", nullable: false),
                    default_probability = table.Column<double>(type: "REAL", nullable: false),
                    credit_score = table.Column<int>(type: "INTEGER", nullable: false),
                    risk_level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    action = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    decision_reason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    reason_codes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    reason_catalogue_version = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    is_fallback = table.Column<bool>(type: "INTEGER", nullable: false),
                    shadow_version = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    shadow_probability = table.Column<double>(type: "REAL", nullable: true),
                    shadow_action = table.Column<string>(type: "TEXT", maxLength: 30, nullable: true),
                    shadow_reason_codes = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    experiment_arm = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    request_key = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "monitoring_baselines",
                columns: table => new
                {
                    version_number = table.Column<int>(type: "INTEGER", nullable: false),
                    computed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitoring_baselines", x => x.version_number);
                });

            migrationBuilder.CreateTable(
                name: "monitoring_snapshots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    version_number = table.Column<int>(type: "INTEGER", nullable: true),
                    at = table.Column<long>(type: "INTEGER", nullable: false),
                    decisions = table.Column<long>(type: "INTEGER", nullable: false),
                    score_psi = table.Column<double>(type: "REAL", nullable: true),
                    alert_count = table.Column<int>(type: "INTEGER", nullable: false),
                    json = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitoring_snapshots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    request_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    defaulted = table.Column<bool>(type: "INTEGER", nullable: false),
                    observed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    recorded_at = table.Column<long>(type: "INTEGER", nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcomes", x => x.request_id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    updated_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settings", x => x.key);
                });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_at",
                table: "decisions",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_decisions_model_number_at",
                table: "decisions",
                columns: new[] { "model_number", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_decisions_request_key",
                table: "decisions",
                column: "request_key");

            migrationBuilder.CreateIndex(
                name: "IX_monitoring_snapshots_at",
                table: "monitoring_snapshots",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "IX_monitoring_snapshots_version_number_at",
                table: "monitoring_snapshots",
                columns: new[] { "version_number", "at" });

            migrationBuilder.CreateIndex(
                name: "IX_outcomes_observed_at",
                table: "outcomes",
                column: "observed_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "decisions");

            migrationBuilder.DropTable(
                name: "monitoring_baselines");

            migrationBuilder.DropTable(
                name: "monitoring_snapshots");

            migrationBuilder.DropTable(
                name: "outcomes");

            migrationBuilder.DropTable(
                name: "settings");
        }
    }
}
