using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PromotionRequestsPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "request_id",
                table: "promotions",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "trained_by",
                table: "model_versions",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "promotion_requests",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    version_id = table.Column<Guid>(type: "uuid", nullable: false),
                    version_number = table.Column<int>(type: "integer", nullable: false),
                    production_number = table.Column<int>(type: "integer", nullable: true),
                    requested_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    trained_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    decided_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    decided_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    decision_comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    leakage_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    monotonicity_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    review = table.Column<string>(type: "text", nullable: false),
                    promotion_id = table.Column<Guid>(type: "uuid", nullable: true),
                    second_approver_required = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promotion_requests", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_promotion_requests_requested_at",
                table: "promotion_requests",
                column: "requested_at");

            migrationBuilder.CreateIndex(
                name: "ix_promotion_requests_one_pending_per_version",
                table: "promotion_requests",
                column: "version_id",
                unique: true,
                filter: "status = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "promotion_requests");

            migrationBuilder.DropColumn(
                name: "request_id",
                table: "promotions");

            migrationBuilder.DropColumn(
                name: "trained_by",
                table: "model_versions");
        }
    }
}
