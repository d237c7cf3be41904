using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Migrations
{
    /// <inheritdoc />
    public partial class InitialRegistry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "datasets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    requested_rows = table.Column<int>(type: "INTEGER", nullable: false),
                    seed = table.Column<long>(type: "INTEGER", nullable: false),
                    default_rate = table.Column<double>(type: "REAL", nullable: false),
                    label_mode = table.Column<string>(type: "TEXT", nullable: false),
                    row_count = table.Column<long>(type: "INTEGER", nullable: true),
                    defaults = table.Column<long>(type: "INTEGER", nullable: true),
                    observed_default_rate = table.Column<double>(type: "REAL", nullable: true),
                    sha256 = table.Column<string>(type: "TEXT", nullable: true),
                    size_bytes = table.Column<long>(type: "INTEGER", nullable: true),
                    file_path = table.Column<string>(type: "TEXT", nullable: true),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    job_id = table.Column<string>(type: "TEXT", nullable: true),
                    cancel_requested = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    progress_done = table.Column<long>(type: "INTEGER", nullable: false),
                    progress_fraction = table.Column<double>(type: "REAL", nullable: false),
                    progress_stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    progress_total = table.Column<long>(type: "INTEGER", nullable: false),
                    progress_updated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_datasets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "model_versions",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    number = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    dataset_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    dataset_sha256 = table.Column<string>(type: "TEXT", nullable: true),
                    parameters = table.Column<string>(type: "TEXT", nullable: false),
                    ml_net_version = table.Column<string>(type: "TEXT", nullable: true),
                    roc_auc = table.Column<double>(type: "REAL", nullable: true),
                    pr_auc = table.Column<double>(type: "REAL", nullable: true),
                    gini = table.Column<double>(type: "REAL", nullable: true),
                    ks = table.Column<double>(type: "REAL", nullable: true),
                    brier = table.Column<double>(type: "REAL", nullable: true),
                    calibration_error = table.Column<double>(type: "REAL", nullable: true),
                    f1 = table.Column<double>(type: "REAL", nullable: true),
                    precision = table.Column<double>(type: "REAL", nullable: true),
                    recall = table.Column<double>(type: "REAL", nullable: true),
                    accuracy = table.Column<double>(type: "REAL", nullable: true),
                    oracle_auc = table.Column<double>(type: "REAL", nullable: true),
                    leakage_suspects = table.Column<string>(type: "TEXT", nullable: false),
                    artifact_directory = table.Column<string>(type: "TEXT", nullable: true),
                    artifacts = table.Column<string>(type: "TEXT", nullable: false),
                    notes = table.Column<string>(type: "TEXT", nullable: false),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    error = table.Column<string>(type: "TEXT", nullable: true),
                    job_id = table.Column<string>(type: "TEXT", nullable: true),
                    cancel_requested = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    started_at = table.Column<long>(type: "INTEGER", nullable: true),
                    finished_at = table.Column<long>(type: "INTEGER", nullable: true),
                    progress_done = table.Column<long>(type: "INTEGER", nullable: false),
                    progress_fraction = table.Column<double>(type: "REAL", nullable: false),
                    progress_stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    progress_total = table.Column<long>(type: "INTEGER", nullable: false),
                    progress_updated_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_versions", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_datasets_created_at",
                table: "datasets",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_created_at",
                table: "model_versions",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_number",
                table: "model_versions",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_model_versions_status",
                table: "model_versions",
                column: "status");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "datasets");

            migrationBuilder.DropTable(
                name: "model_versions");
        }
    }
}
