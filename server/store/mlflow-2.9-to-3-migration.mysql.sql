-- Migrates an MLflow 2.9 MySQL / MariaDB database (alembic revision acf3f17fdcc7) to MLflow 3's schema (revision
-- 1b5f0d9ad7c1): the end state of every alembic step from acf3f17fdcc7 to 1b5f0d9ad7c1 on MySQL, so that the database
-- then dumps (mariadb-dump --no-data) to the DDL of mlflow-3-schema.mysql.sql. Run with FOREIGN_KEY_CHECKS = 0 (the
-- new tables come in name order, before some of the tables they refer to). MySQL commits every DDL statement on its
-- own: a migration that fails half-way leaves its first steps behind, as `mlflow db upgrade` does there. Rows keep
-- their values; new `workspace` columns take their default 'default'. The steps, in alembic order:
--   867495a8f9d4, 5b0e9adcef9c  trace_info, trace_tags, trace_request_metadata (cascading deletes)
--   4465047574b1                 datasets.dataset_schema TEXT -> MEDIUMTEXT (MySQL only)
--   f5a4f2784254                 tags.value VARCHAR(5000) -> VARCHAR(8000)
--   0584bdc529eb                 datasets' foreign key to experiments renamed, ON DELETE CASCADE
--   400f98739977                 logged_models, logged_model_metrics, logged_model_params, logged_model_tags
--   6953534de441                 inputs.step (its index on the destination rebuilt after it)
--   bda7b8c39065                 model_version_tags.value VARCHAR(5000) -> TEXT
--   cbc13b556ace                 trace_info.client_request_id, request_preview, response_preview
--   770bee3ae1dd, a1b2c3d4e5f6   assessments, spans
--   de4033877273                 entity_associations
--   1a0cddfcaa16                 webhooks, webhook_events
--   534353b11cbc                 scorers, scorer_versions
--   71994744cf8e, 3da73c924c2f   evaluation_datasets, evaluation_dataset_tags, evaluation_dataset_records
--   bf29a5ff90ea                 jobs
--   1b5f0d9ad7c1                 `workspace` on experiments (unique (workspace, name)) and on the registry tables,
--                                whose keys and foreign keys then start with it; workspaces and its 'default' row

-- Tables MLflow 3 adds, as they are at 1b5f0d9ad7c1.
CREATE TABLE `assessments` (
  `assessment_id` varchar(50) NOT NULL,
  `trace_id` varchar(50) NOT NULL,
  `name` varchar(250) NOT NULL,
  `assessment_type` varchar(20) NOT NULL,
  `value` text NOT NULL,
  `error` text DEFAULT NULL,
  `created_timestamp` bigint(20) NOT NULL,
  `last_updated_timestamp` bigint(20) NOT NULL,
  `source_type` varchar(50) NOT NULL,
  `source_id` varchar(250) DEFAULT NULL,
  `run_id` varchar(32) DEFAULT NULL,
  `span_id` varchar(50) DEFAULT NULL,
  `rationale` text DEFAULT NULL,
  `overrides` varchar(50) DEFAULT NULL,
  `valid` tinyint(1) NOT NULL,
  `assessment_metadata` text DEFAULT NULL,
  PRIMARY KEY (`assessment_id`),
  KEY `index_assessments_trace_id_created_timestamp` (`trace_id`,`created_timestamp`),
  KEY `index_assessments_run_id_created_timestamp` (`run_id`,`created_timestamp`),
  KEY `index_assessments_last_updated_timestamp` (`last_updated_timestamp`),
  KEY `index_assessments_assessment_type` (`assessment_type`),
  CONSTRAINT `fk_assessments_trace_id` FOREIGN KEY (`trace_id`) REFERENCES `trace_info` (`request_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `entity_associations` (
  `association_id` varchar(36) NOT NULL,
  `source_type` varchar(36) NOT NULL,
  `source_id` varchar(36) NOT NULL,
  `destination_type` varchar(36) NOT NULL,
  `destination_id` varchar(36) NOT NULL,
  `created_time` bigint(20) DEFAULT NULL,
  PRIMARY KEY (`source_type`,`source_id`,`destination_type`,`destination_id`),
  KEY `index_entity_associations_association_id` (`association_id`),
  KEY `index_entity_associations_reverse_lookup` (`destination_type`,`destination_id`,`source_type`,`source_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `evaluation_dataset_records` (
  `dataset_record_id` varchar(36) NOT NULL,
  `dataset_id` varchar(36) NOT NULL,
  `inputs` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL CHECK (json_valid(`inputs`)),
  `expectations` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`expectations`)),
  `tags` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`tags`)),
  `source` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`source`)),
  `source_id` varchar(36) DEFAULT NULL,
  `source_type` varchar(255) DEFAULT NULL,
  `created_time` bigint(20) DEFAULT NULL,
  `last_update_time` bigint(20) DEFAULT NULL,
  `created_by` varchar(255) DEFAULT NULL,
  `last_updated_by` varchar(255) DEFAULT NULL,
  `input_hash` varchar(64) NOT NULL,
  `outputs` longtext CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`outputs`)),
  PRIMARY KEY (`dataset_record_id`),
  UNIQUE KEY `unique_dataset_input` (`dataset_id`,`input_hash`),
  KEY `index_evaluation_dataset_records_dataset_id` (`dataset_id`),
  CONSTRAINT `fk_evaluation_dataset_records_dataset_id` FOREIGN KEY (`dataset_id`) REFERENCES `evaluation_datasets` (`dataset_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `evaluation_dataset_tags` (
  `dataset_id` varchar(36) NOT NULL,
  `key` varchar(255) NOT NULL,
  `value` varchar(5000) DEFAULT NULL,
  PRIMARY KEY (`dataset_id`,`key`),
  KEY `index_evaluation_dataset_tags_dataset_id` (`dataset_id`),
  CONSTRAINT `fk_evaluation_dataset_tags_dataset_id` FOREIGN KEY (`dataset_id`) REFERENCES `evaluation_datasets` (`dataset_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `evaluation_datasets` (
  `dataset_id` varchar(36) NOT NULL,
  `name` varchar(255) NOT NULL,
  `schema` text DEFAULT NULL,
  `profile` text DEFAULT NULL,
  `digest` varchar(64) DEFAULT NULL,
  `created_time` bigint(20) DEFAULT NULL,
  `last_update_time` bigint(20) DEFAULT NULL,
  `created_by` varchar(255) DEFAULT NULL,
  `last_updated_by` varchar(255) DEFAULT NULL,
  `workspace` varchar(63) NOT NULL DEFAULT 'default',
  PRIMARY KEY (`dataset_id`),
  KEY `index_evaluation_datasets_name` (`name`),
  KEY `index_evaluation_datasets_created_time` (`created_time`),
  KEY `idx_evaluation_datasets_workspace` (`workspace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `jobs` (
  `id` varchar(36) NOT NULL,
  `creation_time` bigint(20) NOT NULL,
  `function_fullname` varchar(500) NOT NULL,
  `params` text NOT NULL,
  `timeout` double DEFAULT NULL,
  `status` int(11) NOT NULL,
  `result` text DEFAULT NULL,
  `retry_count` int(11) NOT NULL,
  `last_update_time` bigint(20) NOT NULL,
  `workspace` varchar(63) NOT NULL DEFAULT 'default',
  PRIMARY KEY (`id`),
  KEY `index_jobs_function_status_creation_time` (`workspace`,`function_fullname`,`status`,`creation_time`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `logged_model_metrics` (
  `model_id` varchar(36) NOT NULL,
  `metric_name` varchar(500) NOT NULL,
  `metric_timestamp_ms` bigint(20) NOT NULL,
  `metric_step` bigint(20) NOT NULL,
  `metric_value` double DEFAULT NULL,
  `experiment_id` int(11) NOT NULL,
  `run_id` varchar(32) NOT NULL,
  `dataset_uuid` varchar(36) DEFAULT NULL,
  `dataset_name` varchar(500) DEFAULT NULL,
  `dataset_digest` varchar(36) DEFAULT NULL,
  PRIMARY KEY (`model_id`,`metric_name`,`metric_timestamp_ms`,`metric_step`,`run_id`),
  KEY `fk_logged_model_metrics_experiment_id` (`experiment_id`),
  KEY `fk_logged_model_metrics_run_id` (`run_id`),
  KEY `index_logged_model_metrics_model_id` (`model_id`),
  CONSTRAINT `fk_logged_model_metrics_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`),
  CONSTRAINT `fk_logged_model_metrics_model_id` FOREIGN KEY (`model_id`) REFERENCES `logged_models` (`model_id`) ON DELETE CASCADE,
  CONSTRAINT `fk_logged_model_metrics_run_id` FOREIGN KEY (`run_id`) REFERENCES `runs` (`run_uuid`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `logged_model_params` (
  `model_id` varchar(36) NOT NULL,
  `experiment_id` int(11) NOT NULL,
  `param_key` varchar(255) NOT NULL,
  `param_value` text NOT NULL,
  PRIMARY KEY (`model_id`,`param_key`),
  KEY `fk_logged_model_params_experiment_id` (`experiment_id`),
  CONSTRAINT `fk_logged_model_params_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`),
  CONSTRAINT `fk_logged_model_params_model_id` FOREIGN KEY (`model_id`) REFERENCES `logged_models` (`model_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `logged_model_tags` (
  `model_id` varchar(36) NOT NULL,
  `experiment_id` int(11) NOT NULL,
  `tag_key` varchar(255) NOT NULL,
  `tag_value` text NOT NULL,
  PRIMARY KEY (`model_id`,`tag_key`),
  KEY `fk_logged_model_tags_experiment_id` (`experiment_id`),
  CONSTRAINT `fk_logged_model_tags_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`),
  CONSTRAINT `fk_logged_model_tags_model_id` FOREIGN KEY (`model_id`) REFERENCES `logged_models` (`model_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `logged_models` (
  `model_id` varchar(36) NOT NULL,
  `experiment_id` int(11) NOT NULL,
  `name` varchar(500) NOT NULL,
  `artifact_location` varchar(1000) NOT NULL,
  `creation_timestamp_ms` bigint(20) NOT NULL,
  `last_updated_timestamp_ms` bigint(20) NOT NULL,
  `status` int(11) NOT NULL,
  `lifecycle_stage` varchar(32) DEFAULT NULL,
  `model_type` varchar(500) DEFAULT NULL,
  `source_run_id` varchar(32) DEFAULT NULL,
  `status_message` varchar(1000) DEFAULT NULL,
  PRIMARY KEY (`model_id`),
  KEY `fk_logged_models_experiment_id` (`experiment_id`),
  CONSTRAINT `fk_logged_models_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`) ON DELETE CASCADE,
  CONSTRAINT `logged_models_lifecycle_stage_check` CHECK (`lifecycle_stage` in ('active','deleted'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `scorer_versions` (
  `scorer_id` varchar(36) NOT NULL,
  `scorer_version` int(11) NOT NULL,
  `serialized_scorer` text NOT NULL,
  `creation_time` bigint(20) DEFAULT NULL,
  PRIMARY KEY (`scorer_id`,`scorer_version`),
  KEY `index_scorer_versions_scorer_id` (`scorer_id`),
  CONSTRAINT `fk_scorer_versions_scorer_id` FOREIGN KEY (`scorer_id`) REFERENCES `scorers` (`scorer_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `scorers` (
  `experiment_id` int(11) NOT NULL,
  `scorer_name` varchar(256) NOT NULL,
  `scorer_id` varchar(36) NOT NULL,
  PRIMARY KEY (`scorer_id`),
  UNIQUE KEY `index_scorers_experiment_id_scorer_name` (`experiment_id`,`scorer_name`),
  CONSTRAINT `fk_scorers_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `spans` (
  `trace_id` varchar(50) NOT NULL,
  `experiment_id` int(11) NOT NULL,
  `span_id` varchar(50) NOT NULL,
  `parent_span_id` varchar(50) DEFAULT NULL,
  `name` text DEFAULT NULL,
  `type` varchar(500) DEFAULT NULL,
  `status` varchar(50) NOT NULL,
  `start_time_unix_nano` bigint(20) NOT NULL,
  `end_time_unix_nano` bigint(20) DEFAULT NULL,
  `duration_ns` bigint(20) GENERATED ALWAYS AS (`end_time_unix_nano` - `start_time_unix_nano`) STORED,
  `content` longtext NOT NULL,
  PRIMARY KEY (`trace_id`,`span_id`),
  KEY `index_spans_experiment_id` (`experiment_id`),
  KEY `index_spans_experiment_id_status_type` (`experiment_id`,`status`,`type`),
  KEY `index_spans_experiment_id_type_status` (`experiment_id`,`type`,`status`),
  KEY `index_spans_experiment_id_duration` (`experiment_id`,`duration_ns`),
  CONSTRAINT `fk_spans_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`),
  CONSTRAINT `fk_spans_trace_id` FOREIGN KEY (`trace_id`) REFERENCES `trace_info` (`request_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `trace_info` (
  `request_id` varchar(50) NOT NULL,
  `experiment_id` int(11) NOT NULL,
  `timestamp_ms` bigint(20) NOT NULL,
  `execution_time_ms` bigint(20) DEFAULT NULL,
  `status` varchar(50) NOT NULL,
  `client_request_id` varchar(50) DEFAULT NULL,
  `request_preview` varchar(1000) DEFAULT NULL,
  `response_preview` varchar(1000) DEFAULT NULL,
  PRIMARY KEY (`request_id`),
  KEY `index_trace_info_experiment_id_timestamp_ms` (`experiment_id`,`timestamp_ms`),
  CONSTRAINT `fk_trace_info_experiment_id` FOREIGN KEY (`experiment_id`) REFERENCES `experiments` (`experiment_id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `trace_request_metadata` (
  `key` varchar(250) NOT NULL,
  `value` varchar(8000) DEFAULT NULL,
  `request_id` varchar(50) NOT NULL,
  PRIMARY KEY (`key`,`request_id`),
  KEY `index_trace_request_metadata_request_id` (`request_id`),
  CONSTRAINT `fk_trace_request_metadata_request_id` FOREIGN KEY (`request_id`) REFERENCES `trace_info` (`request_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `trace_tags` (
  `key` varchar(250) NOT NULL,
  `value` varchar(8000) DEFAULT NULL,
  `request_id` varchar(50) NOT NULL,
  PRIMARY KEY (`key`,`request_id`),
  KEY `index_trace_tags_request_id` (`request_id`),
  CONSTRAINT `fk_trace_tags_request_id` FOREIGN KEY (`request_id`) REFERENCES `trace_info` (`request_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `webhook_events` (
  `webhook_id` varchar(256) NOT NULL,
  `entity` varchar(50) NOT NULL,
  `action` varchar(50) NOT NULL,
  PRIMARY KEY (`webhook_id`,`entity`,`action`),
  KEY `idx_webhook_events_entity` (`entity`),
  KEY `idx_webhook_events_action` (`action`),
  KEY `idx_webhook_events_entity_action` (`entity`,`action`),
  CONSTRAINT `webhook_events_ibfk_1` FOREIGN KEY (`webhook_id`) REFERENCES `webhooks` (`webhook_id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `webhooks` (
  `webhook_id` varchar(256) NOT NULL,
  `name` varchar(256) NOT NULL,
  `description` varchar(1000) DEFAULT NULL,
  `url` varchar(500) NOT NULL,
  `status` varchar(20) NOT NULL DEFAULT 'ACTIVE',
  `secret` varchar(1000) DEFAULT NULL,
  `creation_timestamp` bigint(20) DEFAULT NULL,
  `last_updated_timestamp` bigint(20) DEFAULT NULL,
  `deleted_timestamp` bigint(20) DEFAULT NULL,
  `workspace` varchar(63) NOT NULL DEFAULT 'default',
  PRIMARY KEY (`webhook_id`),
  KEY `idx_webhooks_status` (`status`),
  KEY `idx_webhooks_name` (`name`),
  KEY `idx_webhooks_workspace` (`workspace`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
CREATE TABLE `workspaces` (
  `name` varchar(63) NOT NULL,
  `description` text DEFAULT NULL,
  PRIMARY KEY (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;

-- Changed columns, keys and foreign keys of the tracking tables.
ALTER TABLE `tags` MODIFY `value` varchar(8000) DEFAULT NULL;
ALTER TABLE `datasets` DROP FOREIGN KEY `datasets_ibfk_1`, MODIFY `dataset_schema` mediumtext DEFAULT NULL,
  DROP INDEX `index_datasets_dataset_uuid`, ADD KEY `index_datasets_dataset_uuid` (`dataset_uuid`);
ALTER TABLE `datasets` ADD CONSTRAINT `fk_datasets_experiment_id_experiments` FOREIGN KEY (`experiment_id`)
  REFERENCES `experiments` (`experiment_id`) ON DELETE CASCADE;
ALTER TABLE `inputs` ADD COLUMN `step` bigint(20) NOT NULL DEFAULT 0,
  DROP INDEX `index_inputs_destination_type_destination_id_source_type`,
  ADD KEY `index_inputs_destination_type_destination_id_source_type` (`destination_type`,`destination_id`,`source_type`);
ALTER TABLE `experiments` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', DROP INDEX `name`,
  ADD UNIQUE KEY `uq_experiments_workspace_name` (`workspace`,`name`), ADD KEY `idx_experiments_workspace` (`workspace`),
  ADD KEY `idx_experiments_workspace_creation_time` (`workspace`,`creation_time`);

-- The registry's keys start with the workspace: the foreign keys between its tables go first and come back after.
ALTER TABLE `model_version_tags` DROP FOREIGN KEY `model_version_tags_ibfk_1`;
ALTER TABLE `registered_model_tags` DROP FOREIGN KEY `registered_model_tags_ibfk_1`;
ALTER TABLE `registered_model_aliases` DROP FOREIGN KEY `registered_model_alias_name_fkey`;
ALTER TABLE `model_versions` DROP FOREIGN KEY `model_versions_ibfk_1`;
ALTER TABLE `registered_models` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', DROP PRIMARY KEY, DROP INDEX `name`,
  ADD PRIMARY KEY (`workspace`,`name`), ADD KEY `idx_registered_models_workspace` (`workspace`);
ALTER TABLE `model_versions` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', DROP PRIMARY KEY, ADD PRIMARY KEY (`workspace`,`name`,`version`),
  ADD CONSTRAINT `fk_model_versions_registered_models` FOREIGN KEY (`workspace`, `name`)
  REFERENCES `registered_models` (`workspace`, `name`) ON UPDATE CASCADE;
ALTER TABLE `model_version_tags` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', MODIFY `value` text DEFAULT NULL, DROP PRIMARY KEY,
  ADD PRIMARY KEY (`workspace`,`key`,`name`,`version`),
  ADD KEY `fk_model_version_tags_model_versions` (`workspace`,`name`,`version`),
  ADD CONSTRAINT `fk_model_version_tags_model_versions` FOREIGN KEY (`workspace`, `name`, `version`)
  REFERENCES `model_versions` (`workspace`, `name`, `version`) ON UPDATE CASCADE;
ALTER TABLE `registered_model_tags` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', DROP PRIMARY KEY, ADD PRIMARY KEY (`workspace`,`key`,`name`),
  ADD KEY `fk_registered_model_tags_registered_models` (`workspace`,`name`),
  ADD CONSTRAINT `fk_registered_model_tags_registered_models` FOREIGN KEY (`workspace`, `name`)
  REFERENCES `registered_models` (`workspace`, `name`) ON UPDATE CASCADE;
ALTER TABLE `registered_model_aliases` ADD COLUMN `workspace` varchar(63) NOT NULL DEFAULT 'default', DROP PRIMARY KEY, ADD PRIMARY KEY (`workspace`,`name`,`alias`),
  ADD CONSTRAINT `fk_registered_model_aliases_registered_models` FOREIGN KEY (`workspace`, `name`)
  REFERENCES `registered_models` (`workspace`, `name`) ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO `workspaces` (`name`, `description`) VALUES ('default', 'Default workspace for legacy resources');
UPDATE `alembic_version` SET `version_num` = '1b5f0d9ad7c1';
