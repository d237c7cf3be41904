using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Migrations
{
    /// <inheritdoc />
    public partial class RetrainingSchedules : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "retraining_schedules",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    cron = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    time_zone = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    generate = table.Column<string>(type: "TEXT", nullable: true),
                    ledger_window_days = table.Column<int>(type: "INTEGER", nullable: false),
                    training = table.Column<string>(type: "TEXT", nullable: false),
                    on_cron = table.Column<bool>(type: "INTEGER", nullable: false),
                    on_alert = table.Column<bool>(type: "INTEGER", nullable: false),
                    paused = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_by = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    running_run_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    last_alert_run_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_retraining_schedules", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "schedule_runs",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    schedule_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    trigger = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: false),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    detail = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    dataset_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    version_number = table.Column<int>(type: "INTEGER", nullable: true),
                    promotion_request_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    lineage = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_schedule_runs", x => x.id);
                    table.ForeignKey(
                        name: "FK_schedule_runs_retraining_schedules_schedule_id",
                        column: x => x.schedule_id,
                        principalTable: "retraining_schedules",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_retraining_schedules_name",
                table: "retraining_schedules",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_schedule_runs_schedule_id_number",
                table: "schedule_runs",
                columns: new[] { "schedule_id", "number" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_schedule_runs_started_at",
                table: "schedule_runs",
                column: "started_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "schedule_runs");

            migrationBuilder.DropTable(
                name: "retraining_schedules");
        }
    }
}
