using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DichVuCong.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OnlinePayments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "PaidAt",
                table: "Dossiers",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Payments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    DossierId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TxnRef = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Amount = table.Column<long>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Channel = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PaidAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    GatewayTransactionNo = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    BankCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ResponseCode = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    LastCheckedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RecordedBy = table.Column<Guid>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Payments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Payments_Dossiers_DossierId",
                        column: x => x.DossierId,
                        principalTable: "Dossiers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SandboxVnPayTransactions",
                columns: table => new
                {
                    TxnRef = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    TmnCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Amount100 = table.Column<long>(type: "INTEGER", nullable: false),
                    OrderInfo = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    TransactionNo = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    BankCode = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    PayDate = table.Column<string>(type: "TEXT", maxLength: 14, nullable: false),
                    ResponseCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    TransactionStatus = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SandboxVnPayTransactions", x => x.TxnRef);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_DossierId_Paid",
                table: "Payments",
                column: "DossierId",
                unique: true,
                filter: "\"State\" = 1");

            migrationBuilder.CreateIndex(
                name: "IX_Payments_DossierId_State",
                table: "Payments",
                columns: new[] { "DossierId", "State" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_State_CreatedAt",
                table: "Payments",
                columns: new[] { "State", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Payments_TxnRef",
                table: "Payments",
                column: "TxnRef",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Payments");

            migrationBuilder.DropTable(
                name: "SandboxVnPayTransactions");

            migrationBuilder.DropColumn(
                name: "PaidAt",
                table: "Dossiers");
        }
    }
}
