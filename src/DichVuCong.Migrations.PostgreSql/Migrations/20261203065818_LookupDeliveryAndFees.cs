using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DichVuCong.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class LookupDeliveryAndFees : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "FeeAmount",
                table: "Dossiers",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FeeDetails",
                table: "Dossiers",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DeliveryAttempts",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Transport = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DeliveryAttempts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DeliveryAttempts_OutboxMessages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "OutboxMessages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LookupChallenges",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    IdentityHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CodeHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SentAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LookupChallenges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PortalSecrets",
                columns: table => new
                {
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Value = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PortalSecrets", x => x.Name);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Dossiers_Applicant_IdentityNumber",
                table: "Dossiers",
                column: "Applicant_IdentityNumber");

            migrationBuilder.CreateIndex(
                name: "IX_DeliveryAttempts_MessageId_At",
                table: "DeliveryAttempts",
                columns: new[] { "MessageId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_LookupChallenges_IdentityHash_SentAt",
                table: "LookupChallenges",
                columns: new[] { "IdentityHash", "SentAt" });

            migrationBuilder.CreateIndex(
                name: "IX_LookupChallenges_SentAt",
                table: "LookupChallenges",
                column: "SentAt");

            // A message that failed and waits for its next attempt was Queued before; it is Failed (3) now.
            migrationBuilder.Sql("UPDATE \"OutboxMessages\" SET \"State\" = 3 WHERE \"State\" = 0 AND \"Attempts\" > 0;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"OutboxMessages\" SET \"State\" = 0 WHERE \"State\" = 3;");

            migrationBuilder.DropTable(
                name: "DeliveryAttempts");

            migrationBuilder.DropTable(
                name: "LookupChallenges");

            migrationBuilder.DropTable(
                name: "PortalSecrets");

            migrationBuilder.DropIndex(
                name: "IX_Dossiers_Applicant_IdentityNumber",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "FeeAmount",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "FeeDetails",
                table: "Dossiers");
        }
    }
}
