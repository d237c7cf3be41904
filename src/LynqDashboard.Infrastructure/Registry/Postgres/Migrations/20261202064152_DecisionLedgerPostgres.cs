using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class DecisionLedgerPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "decisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    caller = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    model_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    model_number = table.Column<int>(type: "integer", nullable: true),
                    model_sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    policy_version = table.Column<int>(type: "integer", nullable: false),
                    features = table.Column<byte[]>(type: "bytea", nullable: false),
                    default_probability = table.Column<double>(type: "double precision", nullable: false),
                    credit_score = table.Column<int>(type: "integer", nullable: false),
                    risk_level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    decision_reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    reason_codes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    reason_catalogue_version = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    is_fallback = table.Column<bool>(type: "boolean", nullable: false),
                    shadow_version = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    shadow_probability = table.Column<double>(type: "double precision", nullable: true),
                    shadow_action = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: true),
                    shadow_reason_codes = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    experiment_arm = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    request_key = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_decisions", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "monitoring_baselines",
                columns: table => new
                {
                    version_number = table.Column<int>(type: "integer", nullable: false),
                    computed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitoring_baselines", x => x.version_number);
                });

            migrationBuilder.CreateTable(
                name: "monitoring_snapshots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version_number = table.Column<int>(type: "integer", nullable: true),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    decisions = table.Column<long>(type: "bigint", nullable: false),
                    score_psi = table.Column<double>(type: "double precision", nullable: true),
                    alert_count = table.Column<int>(type: "integer", nullable: false),
                    json = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_monitoring_snapshots", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outcomes",
                columns: table => new
                {
                    request_id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    defaulted = table.Column<bool>(type: "boolean", nullable: false),
                    observed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_outcomes", x => x.request_id);
                });

            migrationBuilder.CreateTable(
                name: "settings",
                columns: table => new
                {
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    value = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    updated_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
