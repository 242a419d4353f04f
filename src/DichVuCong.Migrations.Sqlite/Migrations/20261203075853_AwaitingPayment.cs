using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DichVuCong.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AwaitingPayment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "PaymentPoint",
                table: "Processes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PaymentResumesTo",
                table: "Dossiers",
                type: "INTEGER",
                nullable: true);

            // Processes seeded before: a fee is paid before hand-back, and for chứng thực bản sao before processing (SeedData/processes.json).
            migrationBuilder.Sql("UPDATE \"Processes\" SET \"PaymentPoint\" = 2;");
            migrationBuilder.Sql("UPDATE \"Processes\" SET \"PaymentPoint\" = 1 WHERE \"ProcedureId\" IN (SELECT \"Id\" FROM \"Procedures\" WHERE \"Code\" = '2.000815');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PaymentPoint",
                table: "Processes");

            migrationBuilder.DropColumn(
                name: "PaymentResumesTo",
                table: "Dossiers");
        }
    }
}
