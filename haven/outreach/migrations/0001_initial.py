"""The outreach rules and decisions move here from the incidents app, rows and all.

The tables stay where incidents/0002 made them: this migration only tells Django that the
models are now this app's (incidents/0003 forgets them there). 0002 then renames the tables.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('agencies', '0002_agency_on_call'),
        ('cases', '0003_event_kind_without_choices'),
        ('incidents', '0002_outreach_rules'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='OutreachRule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=80)),
                        ('position', models.PositiveSmallIntegerField(default=0)),
                        ('is_active', models.BooleanField(default=True)),
                        ('nibrs_codes', models.JSONField(blank=True, default=list)),
                        ('offense_codes', models.JSONField(blank=True, default=list)),
                        ('requires_domestic_violence', models.BooleanField(default=False)),
                        ('requires_firearm', models.BooleanField(default=False)),
                        ('max_report_age_days', models.PositiveSmallIntegerField(default=14)),
                        ('victimization', models.CharField(choices=[('adult_physical_assault', 'Adult physical assault (aggravated and simple)'), ('adult_sexual_assault', 'Adult sexual assault'), ('adult_abused_as_child', 'Adults sexually abused or assaulted as children'), ('arson', 'Arson'), ('bullying', 'Bullying (verbal, cyber or physical)'), ('burglary', 'Burglary'), ('child_physical_abuse', 'Child physical abuse or neglect'), ('child_pornography', 'Child pornography'), ('child_sexual_abuse', 'Child sexual abuse/assault'), ('domestic_violence', 'Domestic and/or family violence'), ('dui_dwi', 'DUI/DWI incidents'), ('elder_abuse', 'Elder abuse or neglect'), ('hate_crime', 'Hate crime (racial, religious, gender, sexual orientation, other)'), ('trafficking_labor', 'Human trafficking: labor'), ('trafficking_sex', 'Human trafficking: sex'), ('identity_theft', 'Identity theft/fraud/financial crime'), ('kidnapping_noncustodial', 'Kidnapping (non-custodial)'), ('kidnapping_custodial', 'Kidnapping (custodial)'), ('mass_violence', 'Mass violence (domestic/international)'), ('other_vehicular', 'Other vehicular victimization (e.g., hit and run)'), ('robbery', 'Robbery'), ('stalking', 'Stalking/harassment'), ('homicide_survivor', 'Survivors of homicide victims'), ('teen_dating', 'Teen dating victimization'), ('terrorism', 'Terrorism (domestic/international)'), ('other', 'Other')], max_length=40)),
                        ('priority', models.CharField(choices=[('normal', 'Normal'), ('high', 'High')], default='normal', max_length=10)),
                        ('route', models.CharField(choices=[('district', "The least-loaded advocate of the report's district"), ('queue', 'Nobody: leave it in the queue for a supervisor'), ('specialist', 'A named specialist')], default='district', max_length=12)),
                        ('minors', models.CharField(choices=[('guardian', 'Open the case; reach the parent or guardian first'), ('skip', 'Do not open a case')], default='guardian', max_length=10)),
                        ('first_step', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency')),
                        ('assign_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.membership')),
                        ('districts', models.ManyToManyField(blank=True, related_name='+', to='agencies.district')),
                        ('updated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='agencies.membership')),
                    ],
                    options={
                        'ordering': ['position', 'id'],
                        'db_table': 'incidents_outreachrule',
                    },
                ),
                migrations.CreateModel(
                    name='OutreachDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('outcome', models.CharField(choices=[('opened', 'Case opened'), ('existing_case', "Added to the victim's open case"), ('excluded_suspect', 'Not opened: the victim is also a suspect'), ('excluded_minor', 'Not opened: the victim is a minor'), ('awaiting_review', 'Waiting for a match decision')], max_length=20)),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='agencies.agency')),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='cases.case')),
                        ('incident', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='incidents.incident')),
                        ('incident_person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='outreach', to='incidents.incidentperson')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='outreach.outreachrule')),
                    ],
                    options={
                        'indexes': [models.Index(fields=['agency', 'outcome'], name='incidents_o_agency__aa53e1_idx')],
                        'db_table': 'incidents_outreachdecision',
                    },
                ),
            ],
        ),
    ]
