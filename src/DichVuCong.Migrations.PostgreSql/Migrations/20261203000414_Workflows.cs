using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace DichVuCong.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class Workflows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AssignedToId",
                table: "Dossiers",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ClockPausedAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CurrentRole",
                table: "Dossiers",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CurrentStep",
                table: "Dossiers",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DueAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "DueSoonWarnedOn",
                table: "Dossiers",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Extended",
                table: "Dossiers",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTime>(
                name: "FinishedAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "OverdueAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ProcessId",
                table: "Dossiers",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ReceivedAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ResultAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Revision",
                table: "Dossiers",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "StepDueAt",
                table: "Dossiers",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Timeliness",
                table: "Dossiers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ActionId",
                table: "DossierFiles",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Kind",
                table: "DossierFiles",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "DossierActions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    DossierId = table.Column<Guid>(type: "uuid", nullable: false),
                    Action = table.Column<int>(type: "integer", nullable: false),
                    FromStep = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ToStep = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    ActorId = table.Column<Guid>(type: "uuid", nullable: false),
                    At = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    StepDueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Timeliness = table.Column<int>(type: "integer", nullable: true),
                    Slip = table.Column<int>(type: "integer", nullable: false),
                    MissingJson = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DueAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    AssigneeId = table.Column<Guid>(type: "uuid", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DossierActions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DossierActions_Dossiers_DossierId",
                        column: x => x.DossierId,
                        principalTable: "Dossiers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Processes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    ProcedureId = table.Column<int>(type: "integer", nullable: false),
                    AgencyId = table.Column<int>(type: "integer", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    TimeLimit = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    TimeLimitUnit = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    IsCurrent = table.Column<bool>(type: "boolean", nullable: false),
                    Steps = table.Column<string>(type: "text", nullable: false),
                    Transitions = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Processes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Processes_Agencies_AgencyId",
                        column: x => x.AgencyId,
                        principalTable: "Agencies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Processes_Procedures_ProcedureId",
                        column: x => x.ProcedureId,
                        principalTable: "Procedures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Dossiers_AgencyId_Status_DueAt",
                table: "Dossiers",
                columns: new[] { "AgencyId", "Status", "DueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Dossiers_AssignedToId",
                table: "Dossiers",
                column: "AssignedToId");

            migrationBuilder.CreateIndex(
                name: "IX_DossierFiles_ActionId",
                table: "DossierFiles",
                column: "ActionId");

            migrationBuilder.CreateIndex(
                name: "IX_DossierActions_DossierId_At",
                table: "DossierActions",
                columns: new[] { "DossierId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_Processes_AgencyId",
                table: "Processes",
                column: "AgencyId");

            migrationBuilder.CreateIndex(
                name: "IX_Processes_ProcedureId_AgencyId_Version",
                table: "Processes",
                columns: new[] { "ProcedureId", "AgencyId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Processes_ProcedureId_IsCurrent",
                table: "Processes",
                columns: new[] { "ProcedureId", "IsCurrent" });

            migrationBuilder.AddForeignKey(
                name: "FK_DossierFiles_DossierActions_ActionId",
                table: "DossierFiles",
                column: "ActionId",
                principalTable: "DossierActions",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_DossierFiles_DossierActions_ActionId",
                table: "DossierFiles");

            migrationBuilder.DropTable(
                name: "DossierActions");

            migrationBuilder.DropTable(
                name: "Processes");

            migrationBuilder.DropIndex(
                name: "IX_Dossiers_AgencyId_Status_DueAt",
                table: "Dossiers");

            migrationBuilder.DropIndex(
                name: "IX_Dossiers_AssignedToId",
                table: "Dossiers");

            migrationBuilder.DropIndex(
                name: "IX_DossierFiles_ActionId",
                table: "DossierFiles");

            migrationBuilder.DropColumn(
                name: "AssignedToId",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "ClockPausedAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "CurrentRole",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "CurrentStep",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "DueSoonWarnedOn",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "Extended",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "FinishedAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "OverdueAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "ProcessId",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "ReceivedAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "ResultAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "Revision",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "StepDueAt",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "Timeliness",
                table: "Dossiers");

            migrationBuilder.DropColumn(
                name: "ActionId",
                table: "DossierFiles");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "DossierFiles");
        }
    }
}
