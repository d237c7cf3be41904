using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LynqDashboard.Infrastructure.Registry.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OneActivePromotionPerBucketPostgres : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Two requests that raced before this index could have left two active promotions for one bucket:
            // keep the newest, interrupt the others, so the index can be built.
            migrationBuilder.Sql("""
                UPDATE promotions SET status = 'Interrupted', progress_stage = 'interrupted',
                    error = 'Another promotion to this bucket was requested at the same moment; this one was stopped before it could run. Retry it.'
                WHERE status IN ('Queued', 'Running') AND EXISTS (
                    SELECT 1 FROM promotions AS newer
                    WHERE newer.bucket = promotions.bucket AND newer.status IN ('Queued', 'Running')
                      AND (newer.created_at > promotions.created_at OR (newer.created_at = promotions.created_at AND newer.id > promotions.id)));
                """);
            migrationBuilder.CreateIndex(
                name: "ix_promotions_one_active_per_bucket",
                table: "promotions",
                column: "bucket",
                unique: true,
                filter: "status IN ('Queued', 'Running')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_promotions_one_active_per_bucket",
                table: "promotions");
        }
    }
}
