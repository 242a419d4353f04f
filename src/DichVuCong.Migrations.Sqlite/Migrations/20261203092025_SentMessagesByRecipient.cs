using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DichVuCong.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SentMessagesByRecipient : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_OutboxMessages_Recipient_CreatedAt",
                table: "OutboxMessages",
                columns: new[] { "Recipient", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OutboxMessages_Recipient_CreatedAt",
                table: "OutboxMessages");
        }
    }
}
