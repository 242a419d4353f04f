using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace DichVuCong.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class LookupByIdentity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "LookupChallenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    IdentityHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CodeHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SentAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LookupChallenges", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Dossiers_Applicant_IdentityNumber",
                table: "Dossiers",
                column: "Applicant_IdentityNumber");

            migrationBuilder.CreateIndex(
                name: "IX_LookupChallenges_IdentityHash_SentAt",
                table: "LookupChallenges",
                columns: new[] { "IdentityHash", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LookupChallenges_SentAt",
                table: "LookupChallenges",
                column: "SentAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LookupChallenges");

            migrationBuilder.DropIndex(
                name: "IX_Dossiers_Applicant_IdentityNumber",
                table: "Dossiers");
        }
    }
}
